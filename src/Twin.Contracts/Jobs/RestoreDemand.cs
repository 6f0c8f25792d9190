namespace Twin.Contracts.Jobs;

/// <summary>One site's share of a job's checkpoint restore: what it reads and how fast its GPUs' NICs can take it.</summary>
[GenerateSerializer, Immutable, Alias("twin.restore-demand")]
public sealed record RestoreDemand(
    [property: Id(0)] string Site,
    [property: Id(1)] double Bytes,
    [property: Id(2)] double CapBytesPerSecond,
    [property: Id(3)] string JobName);
