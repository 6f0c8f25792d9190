namespace Twin.Contracts.Traffic;

/// <summary>
/// Traffic on a site's fabric and storage for a span of event time: a checkpoint restore or write burst,
/// dataset ingestion, a cross-site transfer. Published on <c>traffic/{site}</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("twin.traffic")]
public sealed record TrafficEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Site,
    // checkpoint-restore, checkpoint-write, ingest, cross-site, flow
    [property: Id(2)] string Kind,
    [property: Id(3)] string? JobId,
    [property: Id(4)] DateTimeOffset Start,
    [property: Id(5)] DateTimeOffset End,
    [property: Id(6)] double StorageReadGBps,
    [property: Id(7)] double StorageWriteGBps,
    [property: Id(8)] double FabricGbps,
    [property: Id(9)] double Bytes,
    [property: Id(10)] string Summary);
