namespace Twin.Contracts.Forecasts;

/// <summary>Where a forecast stands: <c>running</c>, <c>done</c>, <c>cancelled</c> or <c>error</c>, and how far it got.</summary>
[GenerateSerializer, Immutable, Alias("twin.forecast-status")]
public sealed record ForecastStatus
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string State { get; init; }
    /// <summary>0..1 over both runs (baseline, then with the supposed faults).</summary>
    [Id(2)] public required double Progress { get; init; }
    [Id(3)] public required DateTimeOffset SnapshotAt { get; init; }
    [Id(4)] public required double HorizonSeconds { get; init; }
    [Id(5)] public required int Jobs { get; init; }
    [Id(6)] public required int ActiveFaults { get; init; }
    [Id(7)] public required int SupposedFaults { get; init; }
    [Id(8)] public double? WallSeconds { get; init; }
    [Id(9)] public string? Error { get; init; }
}
