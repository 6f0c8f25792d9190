namespace Twin.Contracts.Sites;

/// <summary>Traffic in flight on a site: storage read/write in use, fabric load, and their share of what is up.</summary>
[GenerateSerializer, Immutable, Alias("twin.traffic-summary")]
public sealed record TrafficSummary(
    [property: Id(0)] int ActiveFlows,
    [property: Id(1)] double StorageReadGBps,
    [property: Id(2)] double StorageWriteGBps,
    [property: Id(3)] double StorageReadUtilization,
    [property: Id(4)] double FabricGbps,
    [property: Id(5)] double FabricUtilization,
    [property: Id(6)] DateTimeOffset? AsOf)
{
    public static TrafficSummary None { get; } = new(0, 0, 0, 0, 0, 0, null);
}
