using System.Collections.Frozen;

namespace Twin.Model.Reliability;

/// <summary>
/// Failures observed on a fleet: how many GPUs for how long, and how many unexpected interruptions of
/// each cause. Scales to other fleet sizes through a per-GPU-hour rate (failures assumed independent and
/// proportional to GPU count).
/// </summary>
public sealed record FailureProfile(string Name, int Gpus, TimeSpan Duration, IReadOnlyList<FailureCause> Causes, int PlannedInterruptions = 0)
{
    /// <summary>
    /// Llama 3 405B pre-training (Meta, "The Llama 3 Herd of Models", 2024, table 5): 16,384 H100 80GB GPUs,
    /// 54 days, 466 interruptions of which 47 planned and 419 unexpected (≈ one every 3 h).
    /// </summary>
    public static FailureProfile Llama3_405B { get; } = new("llama3-405b", 16_384, TimeSpan.FromDays(54),
    [
        new("faulty-gpu", 148),
        new("gpu-hbm3", 72),
        new("software-bug", 54),
        new("network-switch-cable", 35),
        new("host-maintenance", 32),
        new("gpu-sram", 19),
        new("gpu-system-processor", 17),
        new("nic", 7),
        new("nccl-watchdog-timeout", 7),
        new("silent-data-corruption", 6),
        new("gpu-thermal-interface-sensor", 6),
        new("ssd", 3),
        new("power-supply", 3),
        new("server-chassis", 2),
        new("io-expansion-board", 2),
        new("dependency", 2),
        new("cpu", 2),
        new("system-memory", 2),
    ], PlannedInterruptions: 47);

    /// <summary>Unexpected interruptions in <see cref="Duration"/>.</summary>
    public int UnexpectedInterruptions => Causes.Sum(c => c.Count);

    /// <summary>Unexpected interruptions per GPU-hour: count / (GPUs × hours).</summary>
    public double FailuresPerGpuHour() => UnexpectedInterruptions / (Gpus * Duration.TotalHours);

    /// <summary>Mean time between job-stopping failures for a synchronous job on <paramref name="gpus"/> GPUs.</summary>
    public TimeSpan Mtbf(int gpus)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gpus, 1);
        return TimeSpan.FromHours(1.0 / (FailuresPerGpuHour() * gpus));
    }

    /// <summary>Share of unexpected interruptions per cause (sums to 1), for drawing which component fails.</summary>
    public IReadOnlyDictionary<string, double> CauseWeights()
    {
        var total = (double)UnexpectedInterruptions;
        return Causes.ToFrozenDictionary(c => c.Name, c => c.Count / total);
    }
}

/// <summary>One failure cause and how often it occurred.</summary>
public sealed record FailureCause(string Name, int Count);
