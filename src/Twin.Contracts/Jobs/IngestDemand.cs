namespace Twin.Contracts.Jobs;

/// <summary>What a job's data loaders at one site ask of its storage while the job runs, bytes/s.</summary>
[GenerateSerializer, Immutable, Alias("twin.ingest-demand")]
public sealed record IngestDemand(
    [property: Id(0)] string Site,
    [property: Id(1)] double BytesPerSecond);
