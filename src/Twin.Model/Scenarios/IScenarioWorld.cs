using Twin.Model.Faults;
using Twin.Model.Workloads;

namespace Twin.Model.Scenarios;

/// <summary>
/// What a scenario acts on: the live twin (grains) or <see cref="SimulatedWorld"/>. Every call carries the
/// event time of the virtual clock; calls arrive in non-decreasing time order. The runner owns time: it never
/// passes a fault duration (it calls <see cref="RepairFault"/> itself at the virtual repair time).
/// </summary>
public interface IScenarioWorld
{
    /// <summary>Loads (or checks) the scenario's topology and resets devices, faults and jobs to a healthy start.</summary>
    Task Prepare(ScenarioSpec spec, DateTimeOffset start);

    /// <summary>Places and starts a training job; returns its id. A job that cannot be placed yet may wait.</summary>
    Task<string> StartJob(TrainingJobSpec job, DateTimeOffset at);

    /// <summary>
    /// Device ids that match the query and can still fail (<see cref="Devices.Usability.CanFail"/>), in topology order
    /// (by ordinal), so a seeded draw picks the same device on every world. With a job id: the job's placement (its GPUs, their NIC links and leaves, its hosts' DPUs,
    /// its sites' storage, the DCI links between its sites).
    /// </summary>
    Task<IReadOnlyList<string>> Candidates(FaultTargetQuery query);

    /// <summary>Injects a fault (no duration: the runner repairs it) and returns its id. Throws for a target the topology does not have.</summary>
    Task<string> InjectFault(FaultRequest fault, DateTimeOffset at);

    Task RepairFault(string faultId, DateTimeOffset at);

    /// <summary>
    /// Interrupts a job without failing a device (software bug, NCCL watchdog, silent data corruption). Idempotent
    /// at one instant: a job a device fault already stopped at <paramref name="at"/> is not interrupted twice.
    /// </summary>
    Task CrashJob(string jobId, string reason, DateTimeOffset at);

    /// <summary>Sets the scenario's tenants and DPU policies (before any flow).</summary>
    Task ConfigureSecurity(ScenarioSecurity security, DateTimeOffset at);

    /// <summary>Sends one flow through its source host's DPU; throws for a source or destination the factory does not have.</summary>
    Task<(Security.FlowVerdict Verdict, Security.Flow Flow)> SendFlow(ScheduledFlow flow, int sourcePort, DateTimeOffset at);

    /// <summary>The state at <paramref name="at"/>: usable GPUs per site, each job's progress, events.</summary>
    Task<WorldSample> Sample(DateTimeOffset at);
}

/// <summary>A snapshot of the world at one event time.</summary>
public sealed record WorldSample(
    DateTimeOffset At,
    IReadOnlyList<SiteSample> Sites,
    IReadOnlyList<JobSample> Jobs,
    long EventsRecorded,
    long EventsLost)
{
    public int TotalGpus => Sites.Sum(s => s.TotalGpus);

    public int UsableGpus => Sites.Sum(s => s.UsableGpus);
}

/// <summary>GPUs of one site and how many of them a job could use now (healthy or degraded, NIC link and leaf up).</summary>
public sealed record SiteSample(string Site, int TotalGpus, int UsableGpus);

/// <summary>
/// One job's account so far: <see cref="Useful"/> is training progress kept (work since the last checkpoint
/// is subtracted when lost), <see cref="Wall"/> the time since it started, goodput = useful / wall.
/// </summary>
public sealed record JobSample(
    string JobId,
    string Name,
    string State,
    int Gpus,
    IReadOnlyList<string> Sites,
    double Goodput,
    int Interruptions,
    TimeSpan Useful,
    TimeSpan Wall,
    TimeSpan LostWork,
    TimeSpan Downtime,
    IReadOnlyList<RecoveryRecord> Recoveries);

/// <summary>One recovery: when the job stopped, how long until it trained again, and what stopped it.</summary>
public sealed record RecoveryRecord(DateTimeOffset At, TimeSpan Duration, string Reason);

/// <summary>Job states as samples spell them.</summary>
public static class JobStates
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Recovering = "recovering";
    public const string Waiting = "waiting";
}
