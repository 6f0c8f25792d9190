using System.Collections.Frozen;

namespace Twin.Model.Reliability;

/// <summary>
/// Failures observed on a fleet: how many GPUs for how long, how many unexpected interruptions of each cause (and
/// what each takes down), and the planned interruptions (maintenance, upgrades) of the job. Scales to other job
/// sizes per cause through the units of its scope the job spans (a leaf failure interrupts a job once however many
/// of its hosts hang from that leaf), and planned interruptions per job-day.
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
        new("network-switch-cable", 35, FailureScope.Leaf),
        new("host-maintenance", 32, FailureScope.Host),
        new("gpu-sram", 19),
        new("gpu-system-processor", 17),
        new("nic", 7, FailureScope.Host),
        new("nccl-watchdog-timeout", 7),
        new("silent-data-corruption", 6),
        new("gpu-thermal-interface-sensor", 6),
        new("ssd", 3, FailureScope.Host),
        new("power-supply", 3, FailureScope.Rack),
        new("server-chassis", 2, FailureScope.Host),
        new("io-expansion-board", 2, FailureScope.Host),
        new("dependency", 2),
        new("cpu", 2, FailureScope.Host),
        new("system-memory", 2, FailureScope.Host),
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

    /// <summary>
    /// Unexpected interruptions expected for a synchronous job on <paramref name="gpus"/> GPUs over
    /// <paramref name="duration"/>: each cause's count per unit of its scope in the profiled fleet, times the units the
    /// job spans, scaled by time.
    /// </summary>
    public double ExpectedUnexpected(int gpus, TimeSpan duration, FailureDomains? domains = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gpus, 1);
        var d = domains ?? FailureDomains.Hgx;
        var time = duration / Duration;
        return Causes.Sum(c => c.Count * d.UnitsSpanned(gpus, c.Scope) / d.UnitsSpanned(Gpus, c.Scope)) * time;
    }

    /// <summary>Planned interruptions expected over <paramref name="duration"/>: the job's own maintenance rate, whatever its size.</summary>
    public double ExpectedPlanned(TimeSpan duration) => PlannedInterruptions * (duration / Duration);

    /// <summary>GPUs one interruption takes out of service on average (the scope of its cause, weighted by count).</summary>
    public double GpusLostPerInterruption(FailureDomains? domains = null)
    {
        var d = domains ?? FailureDomains.Hgx;
        return Causes.Sum(c => c.Count * (double)d.Gpus(c.Scope)) / UnexpectedInterruptions;
    }

    /// <summary>Share of unexpected interruptions per cause (sums to 1), for drawing which component fails.</summary>
    public IReadOnlyDictionary<string, double> CauseWeights()
    {
        var total = (double)UnexpectedInterruptions;
        return Causes.ToFrozenDictionary(c => c.Name, c => c.Count / total);
    }
}

/// <summary>One failure cause, how often it interrupted the job, and what one occurrence takes down.</summary>
public sealed record FailureCause(string Name, int Count, FailureScope Scope = FailureScope.Gpu);
