namespace Twin.Contracts.Sites;

/// <summary>The whole factory: per-site summaries, DCI links and totals.</summary>
[GenerateSerializer, Immutable, Alias("twin.factory-summary")]
public sealed record FactorySummary
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public required IReadOnlyList<SiteSummary> Sites { get; init; }
    [Id(2)] public required IReadOnlyList<DciLinkSummary> DciLinks { get; init; }
    [Id(3)] public required HealthCounts Gpus { get; init; }
    [Id(4)] public required int UsableGpus { get; init; }
    [Id(5)] public required int ActiveFaults { get; init; }
    /// <summary>Sum of DCI bandwidth still up, Gb/s.</summary>
    [Id(6)] public required double CrossSiteAvailableGbps { get; init; }
    [Id(7)] public required double CrossSiteTotalGbps { get; init; }
    /// <summary>Pairs of sites with no DCI link up between them.</summary>
    [Id(8)] public required IReadOnlyList<string> PartitionedSitePairs { get; init; }
    [Id(9)] public required int Devices { get; init; }
}
