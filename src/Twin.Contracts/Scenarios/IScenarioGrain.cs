namespace Twin.Contracts.Scenarios;

/// <summary>One scenario run (key = run id): started once, then read for progress and its report.</summary>
[Alias("twin.scenario")]
public interface IScenarioGrain : IGrainWithStringKey
{
    Task<ScenarioRunStatus> Start(string scenario, string path, int? seed, double? speed);

    /// <summary>Null when no run has this id.</summary>
    Task<ScenarioRunStatus?> GetStatus();

    /// <summary>The report as JSON once the run has ended; null before.</summary>
    Task<string?> GetReport();
}
