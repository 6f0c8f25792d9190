using Twin.Model.Devices;
using Twin.Model.Fabric;
using Twin.Model.Workloads;

namespace Twin.Model.Scenarios;

/// <summary>
/// A fault-injection scenario as its YAML file describes it: the factory, how long to run in virtual time,
/// the seed of every random draw, the jobs, scheduled faults, random failure processes, repair times and
/// the expectations that decide whether the run passed.
/// </summary>
public sealed record ScenarioSpec
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    /// <summary>The topology as written: a path relative to the scenario file, or a name (<c>demo</c>, <c>large</c>).</summary>
    public required string Topology { get; init; }

    /// <summary>The topology file resolved against the scenario file's folder; null when it could not be resolved.</summary>
    public string? TopologyPath { get; init; }

    /// <summary>Virtual time the scenario covers.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Seed of every random draw (failure times, causes, targets, repair times).</summary>
    public int Seed { get; init; }

    /// <summary>Event time at which the virtual clock starts.</summary>
    public DateTimeOffset Start { get; init; } = DefaultStart;

    /// <summary>How many samples of the world the run takes (time-series resolution): every duration / samples.</summary>
    public int Samples { get; init; } = 200;

    public IReadOnlyList<ScenarioJob> Workloads { get; init; } = [];

    public IReadOnlyList<ScheduledFault> Faults { get; init; } = [];

    public IReadOnlyList<FailureProcess> Failures { get; init; } = [];

    /// <summary>Tenants, DPU policies and flows (none by default).</summary>
    public ScenarioSecurity Security { get; init; } = ScenarioSecurity.None;

    public RepairPolicy Repair { get; init; } = RepairPolicy.Default;

    public IReadOnlyList<Expectation> Expectations { get; init; } = [];

    /// <summary>2026-01-01T00:00:00Z: scenarios without a <c>start</c> all begin at the same instant, so reports compare.</summary>
    public static DateTimeOffset DefaultStart { get; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
}

/// <summary>A training job the scenario starts <see cref="At"/> after the scenario start.</summary>
public sealed record ScenarioJob(TrainingJobSpec Job, TimeSpan At);

/// <summary>
/// Which devices a fault may hit: any of kind/site/tier/optics, or the devices a job runs on.
/// The world answers it (<see cref="IScenarioWorld.Candidates"/>); a null field matches everything.
/// </summary>
public sealed record FaultTargetQuery(
    DeviceKind Kind,
    string? Site = null,
    string? Tier = null,
    OpticType? Optics = null,
    string? JobId = null);

/// <summary>How many of the matching devices a selector hits.</summary>
public enum PickMode : byte
{
    /// <summary>One device drawn at random.</summary>
    Any,

    /// <summary>Every matching device.</summary>
    All,

    /// <summary><see cref="ScheduledFault.PickCount"/> distinct devices drawn at random.</summary>
    Count,
}

/// <summary>
/// A device selector as written in a scenario: like <see cref="FaultTargetQuery"/> but naming the job, whose
/// id is only known once the run has started it.
/// </summary>
public sealed record TargetSelector(DeviceKind Kind, string? Site, string? Tier, OpticType? Optics, string? Job);

/// <summary>
/// A fault the scenario injects at a fixed offset: on an explicit target, on devices a selector picks, or on
/// the same devices as an earlier named fault (<see cref="SameAs"/>). <c>job-crash</c> targets a job by name.
/// </summary>
public sealed record ScheduledFault
{
    /// <summary>Optional name, so later faults can hit the same devices (<c>sameAs</c>).</summary>
    public string? Name { get; init; }

    public required TimeSpan At { get; init; }

    public required string Kind { get; init; }

    public string? Target { get; init; }

    public TargetSelector? Selector { get; init; }

    public string? SameAs { get; init; }

    public PickMode Pick { get; init; } = PickMode.Any;

    public int PickCount { get; init; } = 1;

    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Repair after this long; null leaves the fault in place until the end.</summary>
    public TimeSpan? RepairAfter { get; init; }

    /// <summary>1-based line in the scenario file, for messages about a target the world rejects.</summary>
    public int Line { get; init; }
}

/// <summary>
/// A random failure process: a Poisson process with rate <see cref="RatePerGpuHour"/> × the GPUs in scope
/// (a job's GPUs, or a site's), each failure's cause drawn by weight and turned into a fault kind.
/// </summary>
public sealed record FailureProcess
{
    public required string Name { get; init; }

    /// <summary>The job whose placement failures hit (by workload name); null when <see cref="Site"/> scopes it.</summary>
    public string? Job { get; init; }

    /// <summary>The site whose devices failures hit, when no job scopes it.</summary>
    public string? Site { get; init; }

    /// <summary>The published profile this process follows (<c>llama3</c>), if any.</summary>
    public string? Profile { get; init; }

    /// <summary>Unexpected interruptions per GPU-hour (all causes together).</summary>
    public required double RatePerGpuHour { get; init; }

    /// <summary>Causes with their share of failures and the fault each one injects; weights sum to 1.</summary>
    public required IReadOnlyList<FailureCauseRule> Causes { get; init; }
}

/// <summary>One failure cause: its share of the process's failures, the fault kind and parameters it injects.</summary>
public sealed record FailureCauseRule(string Cause, double Weight, string Kind, IReadOnlyDictionary<string, string> Parameters);

/// <summary>How long a repair takes: fixed, or exponentially distributed with the given mean.</summary>
public sealed record RepairTime(TimeSpan Mean, bool Exponential)
{
    /// <summary>Draws one repair time: the mean itself, or −mean·ln(1−U) for the exponential.</summary>
    public TimeSpan Sample(Random random) =>
        Exponential ? TimeSpan.FromSeconds(-Mean.TotalSeconds * Math.Log(1 - random.NextDouble())) : Mean;

    public override string ToString() => (Exponential ? "exponential " : "") + Time.DurationText.Format(Mean);
}

/// <summary>
/// Repair times per fault kind for randomly failed devices (scheduled faults carry their own
/// <c>repairAfter</c>). Defaults are typical of a staffed data centre: a GPU or host swap in hours, a cable in one.
/// </summary>
public sealed record RepairPolicy(IReadOnlyDictionary<string, RepairTime> ByKind, RepairTime Otherwise)
{
    public static RepairPolicy Default { get; } = new(new Dictionary<string, RepairTime>
    {
        ["gpu-xid"] = new(TimeSpan.FromHours(4), false),
        ["hbm-error"] = new(TimeSpan.FromHours(4), false),
        ["gpu-thermal"] = new(TimeSpan.FromHours(2), false),
        ["host-power-loss"] = new(TimeSpan.FromHours(6), false),
        ["link-down"] = new(TimeSpan.FromHours(1), false),
        ["switch-down"] = new(TimeSpan.FromHours(4), false),
        ["storage-down"] = new(TimeSpan.FromHours(2), false),
    }, new RepairTime(TimeSpan.FromHours(1), false));

    public RepairTime For(string kind) => ByKind.GetValueOrDefault(kind) ?? Otherwise;
}
