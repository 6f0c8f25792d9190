namespace Twin.Contracts.Jobs;

/// <summary>
/// From <see cref="From"/> on, storage serves this share (0..1] of a job's dataset reads: the least of its
/// sites, since every site's loaders must keep up for a synchronous step.
/// </summary>
[GenerateSerializer, Immutable, Alias("twin.ingest-supply")]
public sealed record IngestSupply(
    [property: Id(0)] DateTimeOffset From,
    [property: Id(1)] double Share);
