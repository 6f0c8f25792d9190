namespace Twin.Model.Workloads;

/// <summary>Number format the tensor cores run a model's matrix multiplies in; sets the dense peak used (<see cref="GpuSpecs"/>).</summary>
public enum ModelPrecision : byte
{
    Bf16,
    Fp8,
    Fp4,
}

/// <summary>Precision names as requests spell them, and the default read from bytes per parameter.</summary>
public static class ModelPrecisions
{
    /// <summary>bf16 for 2 bytes per parameter or more, fp8 for 1, fp4 below.</summary>
    public static ModelPrecision FromBytesPerParam(double bytesPerParam) => bytesPerParam switch
    {
        >= 2 => ModelPrecision.Bf16,
        >= 1 => ModelPrecision.Fp8,
        _ => ModelPrecision.Fp4,
    };

    /// <summary>Bytes one weight takes in <paramref name="precision"/>: 2, 1 or 0.5.</summary>
    public static double BytesPerParam(this ModelPrecision precision) => precision switch
    {
        ModelPrecision.Bf16 => 2,
        ModelPrecision.Fp8 => 1,
        _ => 0.5,
    };

    /// <summary>Parses bf16, fp8 or fp4 (any case); null for anything else.</summary>
    public static ModelPrecision? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "bf16" => ModelPrecision.Bf16,
        "fp8" => ModelPrecision.Fp8,
        "fp4" => ModelPrecision.Fp4,
        _ => null,
    };

    public static string Name(this ModelPrecision precision) => precision.ToString().ToLowerInvariant();
}
