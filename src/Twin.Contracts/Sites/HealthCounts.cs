namespace Twin.Contracts.Sites;

/// <summary>How many devices of one kind are in each health state.</summary>
[GenerateSerializer, Alias("twin.health-counts")]
public sealed record HealthCounts
{
    [Id(0)] public int Total { get; set; }
    [Id(1)] public int Healthy { get; set; }
    [Id(2)] public int Degraded { get; set; }
    [Id(3)] public int Failed { get; set; }
    /// <summary>Draining or quarantined: up, but out of the schedulable pool.</summary>
    [Id(4)] public int Other { get; set; }
}
