namespace Twin.Model.Workloads;

/// <summary>
/// Dense BF16 peak throughput, NVLink bandwidth and HBM per GPU model (vendor datasheets: H100/H200 SXM
/// 989 TFLOPS and 900 GB/s NVLink 4; B200 2.25 PFLOPS and GB200 2.5 PFLOPS with 1.8 TB/s NVLink 5; HBM
/// 80 GB at 3.35 TB/s, 141 GB at 4.8 TB/s, 192 GB at 8 TB/s). Unknown models fall back to H100 figures.
/// </summary>
public static class GpuSpecs
{
    public sealed record Spec(double PeakTflops, double NvlinkGBps, double HbmGB, double HbmTBps);

    private static readonly Spec H100 = new(989, 900, 80, 3.35);

    public static Spec For(string? model) => model?.ToUpperInvariant() switch
    {
        { } m when m.StartsWith("GB200", StringComparison.Ordinal) => new(2500, 1800, 192, 8),
        { } m when m.StartsWith("B200", StringComparison.Ordinal) => new(2250, 1800, 192, 8),
        { } m when m.StartsWith("H200", StringComparison.Ordinal) => new(989, 900, 141, 4.8),
        _ => H100,
    };
}
