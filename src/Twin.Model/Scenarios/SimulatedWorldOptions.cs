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
}
