namespace Twin.Model.Workloads;

/// <summary>
/// Per GPU model: dense tensor peaks per precision, NVLink, HBM and the achievable efficiencies the workload
/// models use. Vendor datasheets (dense, no sparsity): H100/H200 SXM 989 TFLOPS BF16 and 1,979 FP8 (Hopper has
/// no FP4 tensor cores: FP4 weights run at the FP8 rate), NVLink 4 at 900 GB/s; HGX B200 2.25 PFLOPS BF16,
/// 4.5 FP8, 9 FP4; GB200 (per GPU) 2.5, 5 and 10 PFLOPS, NVLink 5 at 1.8 TB/s; HBM 80 GB at 3.35 TB/s, 141 GB at
/// 4.8 TB/s, 192 GB at 8 TB/s. Unknown models fall back to H100 figures.
/// </summary>
public static class GpuSpecs
{
    /// <param name="PeakTflops">Dense BF16 peak.</param>
    /// <param name="NvlinkGBps">NVLink bandwidth per GPU, both directions together (900 GB/s = 450 each way).</param>
    /// <param name="HbmGB">HBM capacity.</param>
    /// <param name="HbmTBps">HBM peak bandwidth.</param>
    /// <param name="Fp8Tflops">Dense FP8 peak.</param>
    /// <param name="Fp4Tflops">Dense FP4 peak (the FP8 rate where the GPU has no FP4 tensor cores).</param>
    /// <param name="NvlinkBusGBps">
    /// Bus bandwidth nccl-tests reach for all-gather / reduce-scatter / all-reduce inside the NVLink domain: ≈ 360 GB/s
    /// on HGX H100 (≈ 80 % of the 450 GB/s one way; NVLS all-reduce reaches ≈ 480), twice that on NVLink 5.
    /// </param>
    /// <param name="TrainingMfu">
    /// Achievable model-FLOPs utilisation of a dense transformer's kernels (GEMMs, flash attention, element-wise),
    /// pipeline bubbles and exposed communication excluded. Bounded below by the end-to-end MFUs of tuned large runs,
    /// which include those losses (MegaScale, NSDI'24: 55.2 % on 12,288 GPUs; Megatron-LM: up to 47 % on H100
    /// clusters) and above by cuBLAS BF16 GEMMs (≈ 75 % of peak on H100): 0.6 taken for Hopper. Blackwell has no
    /// published large-run figure yet and is taken as Hopper.
    /// </param>
    public sealed record Spec(double PeakTflops, double NvlinkGBps, double HbmGB, double HbmTBps, double Fp8Tflops, double Fp4Tflops,
        double NvlinkBusGBps, double TrainingMfu = 0.6)
    {
        /// <summary>Dense tensor peak in <paramref name="precision"/>, TFLOPS.</summary>
        public double DenseTflops(ModelPrecision precision) => precision switch
        {
            ModelPrecision.Bf16 => PeakTflops,
            ModelPrecision.Fp8 => Fp8Tflops,
            _ => Fp4Tflops,
        };
    }

    private static readonly Spec H100 = new(989, 900, 80, 3.35, 1979, 1979, 360);

    public static Spec For(string? model) => model?.ToUpperInvariant() switch
    {
        { } m when m.StartsWith("GB200", StringComparison.Ordinal) => new(2500, 1800, 192, 8, 5000, 10000, 720),
        { } m when m.StartsWith("B200", StringComparison.Ordinal) => new(2250, 1800, 192, 8, 4500, 9000, 720),
        { } m when m.StartsWith("H200", StringComparison.Ordinal) => H100 with { HbmGB = 141, HbmTBps = 4.8 },
        _ => H100,
    };
}
