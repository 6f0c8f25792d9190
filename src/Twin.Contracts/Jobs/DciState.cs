namespace Twin.Contracts.Jobs;

/// <summary>What the DCI between a job's sites offers: bandwidth up (Gb/s, the thinnest pair), loss, one-way latency.</summary>
[GenerateSerializer, Immutable, Alias("twin.dci-state")]
public sealed record DciState(
    [property: Id(0)] double AvailableGbps,
    [property: Id(1)] double LossRate,
    [property: Id(2)] double LatencyMs,
    [property: Id(3)] double DistanceKm);
