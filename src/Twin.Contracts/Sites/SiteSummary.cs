namespace Twin.Contracts.Sites;

/// <summary>What a site coordinator knows about its site, kept current from device events.</summary>
[GenerateSerializer, Immutable, Alias("twin.site-summary")]
public sealed record SiteSummary
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public required HealthCounts Gpus { get; init; }
    [Id(2)] public required HealthCounts Switches { get; init; }
    [Id(3)] public required HealthCounts Links { get; init; }
    [Id(4)] public required HealthCounts StorageNodes { get; init; }
    [Id(5)] public required HealthCounts Dpus { get; init; }
    /// <summary>GPUs that can run work: not failed, quarantined or draining, and with their leaf link up.</summary>
    [Id(6)] public required int UsableGpus { get; init; }
    /// <summary>Per-tier fabric bandwidth; the highest tier's available figure is the bisection left.</summary>
    [Id(7)] public required IReadOnlyList<FabricCapacity> Fabric { get; init; }
    [Id(8)] public required double BisectionTbps { get; init; }
    [Id(9)] public required double BisectionAvailableTbps { get; init; }
    [Id(10)] public required double StorageReadGBps { get; init; }
    [Id(11)] public required double StorageReadAvailableGBps { get; init; }
    [Id(12)] public required int ActiveFaults { get; init; }
    [Id(13)] public DateTimeOffset? LastEventTime { get; init; }
    [Id(14)] public required string GpuModel { get; init; }
    [Id(15)] public required string Network { get; init; }
    [Id(16)] public required int FabricTiers { get; init; }
    /// <summary>Jobs with GPUs on this site, and how many of them have lost a GPU that is still out.</summary>
    [Id(17)] public int Jobs { get; init; }
    [Id(18)] public int JobsAffected { get; init; }
    /// <summary>Traffic in flight at the coordinator's event time (checkpoint bursts, ingestion).</summary>
    [Id(19)] public TrafficSummary Traffic { get; init; } = TrafficSummary.None;
}
