namespace Twin.Contracts.Scenarios;

/// <summary>Where a scenario run is: its state, how far its virtual clock got, and what it found so far.</summary>
[GenerateSerializer, Immutable, Alias("twin.scenario-run-status")]
public sealed record ScenarioRunStatus
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Scenario { get; init; }
    /// <summary><c>running</c>, <c>passed</c>, <c>failed</c> (an expectation failed) or <c>error</c>.</summary>
    [Id(2)] public required string State { get; init; }
    [Id(3)] public required double Progress { get; init; }
    [Id(4)] public required double VirtualSeconds { get; init; }
    [Id(5)] public required double DurationSeconds { get; init; }
    [Id(6)] public required int Interruptions { get; init; }
    [Id(7)] public required int FaultsInjected { get; init; }
    [Id(8)] public required DateTimeOffset StartedAt { get; init; }
    [Id(9)] public double? WallSeconds { get; init; }
    [Id(10)] public int? Seed { get; init; }
    [Id(11)] public double? Speed { get; init; }
    [Id(12)] public string? Error { get; init; }
}
