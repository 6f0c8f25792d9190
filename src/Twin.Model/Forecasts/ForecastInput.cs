using Twin.Model.Scenarios;
using Twin.Model.Workloads;

namespace Twin.Model.Forecasts;

/// <summary>
/// What a forecast starts from: the live factory at <see cref="Now"/> (its running jobs where they run, the faults
/// active, each with the time it has left), the faults to suppose, at offsets from now, and the twin's configured
/// recovery times and health thresholds (<see cref="Rules"/>), so the forecast judges as the live twin does.
/// </summary>
public sealed record ForecastInput(
    string Topology,
    DateTimeOffset Now,
    TimeSpan Horizon,
    IReadOnlyList<ForecastJob> Jobs,
    IReadOnlyList<ForecastFault> ActiveFaults,
    IReadOnlyList<ForecastFault> Hypothetical,
    int Seed,
    bool RandomFailures,
    SimulatedWorldOptions Rules);

/// <summary>A running job: its spec under its id, and the GPUs it runs on.</summary>
public sealed record ForecastJob(string Id, TrainingJobSpec Spec, IReadOnlyList<string> Placement);

/// <summary>A fault at an offset from now, lasting <see cref="Duration"/> (until the horizon when null).</summary>
public sealed record ForecastFault(string Kind, string Target, TimeSpan At, IReadOnlyDictionary<string, string> Parameters, TimeSpan? Duration);
