using Twin.Model.Health;

namespace Twin.Model.Scenarios;

/// <summary>
/// Recovery timings of <see cref="SimulatedWorld"/>'s job model. Defaults are those of a well-run large
/// training cluster: a failure is noticed within a couple of minutes (health checks, NCCL timeouts) and
/// re-launching thousands of ranks takes a few more.
/// </summary>
public sealed record SimulatedWorldOptions
{
    /// <summary>From the failure to the scheduler acting on it.</summary>
    public TimeSpan Detection { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Re-launching the job's ranks (process start, NCCL communicator set-up) before the checkpoint is read.</summary>
    public TimeSpan Restart { get; init; } = TimeSpan.FromMinutes(5);

    public HealthThresholds Thresholds { get; init; } = new();

    /// <summary>
    /// GPUs a job (by name) starts on, when they are free: a forecast starts the live jobs where they run now, so a
    /// fault aimed at a job's device hits it. Jobs without an entry are placed by the world's own rules.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Placements { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}
