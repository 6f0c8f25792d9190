namespace Twin.Grains.Jobs;

/// <summary>Recovery timings and compute efficiency of training jobs (<c>Twin:Jobs</c>).</summary>
public sealed class JobOptions
{
    /// <summary>From a failure to the job noticing it (NCCL/health-check timeouts).</summary>
    public TimeSpan DetectionTime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Rescheduling and restarting every rank before the checkpoint read starts.</summary>
    public TimeSpan RestartTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>MFU of the compute part of a step; unset takes the GPU model's achievable figure (GpuSpecs).</summary>
    public double? ComputeEfficiency { get; set; }

    /// <summary>Per-GPU-hour failure rate used for the Young/Daly recommendation (Llama 3: 419 / (16,384 × 1,296 h)).</summary>
    public double FailuresPerGpuHour { get; set; } = 419.0 / (16_384 * 54 * 24);
}
