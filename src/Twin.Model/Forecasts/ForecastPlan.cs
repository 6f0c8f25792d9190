using Twin.Model.Reliability;
using Twin.Model.Scenarios;

namespace Twin.Model.Forecasts;

/// <summary>
/// Turns a snapshot of the live factory into two scenarios on the same virtual clock and seed: the baseline (what
/// happens from now with the faults already active, plus random failures when asked) and the what-if (the same,
/// plus the supposed faults). Jobs start on the GPUs they hold now; each starts the forecast from a checkpoint.
/// </summary>
public static class ForecastPlan
{
    public static (ScenarioSpec Baseline, ScenarioSpec WhatIf, SimulatedWorldOptions World) Build(ForecastInput input)
    {
        var baseline = new ScenarioSpec
        {
            Name = "forecast-baseline",
            Description = $"the factory from {input.Now:O} for {input.Horizon}, as it is",
            Topology = input.Topology,
            Duration = input.Horizon,
            Seed = input.Seed,
            Start = input.Now,
            Workloads = [.. input.Jobs.Select(j => new ScenarioJob(j.Spec with { Name = j.Id }, TimeSpan.Zero))],
            Faults = [.. input.ActiveFaults.Select((f, i) => Scheduled(f, $"active-{i}"))],
            Failures = input.RandomFailures
                ? [.. input.Jobs.Select(j => ProfileFailures.For($"{j.Id}-failures", FailureProfile.Llama3_405B, job: j.Id))]
                : [],
        };
        var whatIf = baseline with
        {
            Name = "forecast",
            Description = $"the factory from {input.Now:O} for {input.Horizon}, with {input.Hypothetical.Count} supposed fault(s)",
            Faults = [.. baseline.Faults, .. input.Hypothetical.Select((f, i) => Scheduled(f, $"supposed-{i}"))],
        };
        var world = input.Rules with
        {
            Placements = input.Jobs.ToDictionary(j => j.Id, j => j.Placement, StringComparer.Ordinal),
        };
        return (baseline, whatIf, world);
    }

    private static ScheduledFault Scheduled(ForecastFault fault, string name) => new()
    {
        Name = name,
        At = fault.At,
        Kind = fault.Kind,
        Target = fault.Target,
        Parameters = fault.Parameters,
        RepairAfter = fault.Duration,
    };
}
