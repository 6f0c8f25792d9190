using Twin.Contracts.Jobs;

namespace Twin.Contracts.Inference;

/// <summary>An inference service as REST shows it: its replicas, what they can serve, its latency against the SLA.</summary>
[GenerateSerializer, Immutable, Alias("twin.inference-view")]
public sealed record InferenceView
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required string Site { get; init; }
    /// <summary><c>serving</c>, <c>breached</c> (SLA not met) or <c>stopped</c>.</summary>
    [Id(3)] public required string State { get; init; }
    [Id(4)] public required int Replicas { get; init; }
    [Id(5)] public required int HealthyReplicas { get; init; }
    [Id(6)] public required int GpusPerReplica { get; init; }
    /// <summary>Each replica's GPUs.</summary>
    [Id(7)] public required IReadOnlyList<IReadOnlyList<string>> Placement { get; init; }
    [Id(8)] public required double RequestsPerSecond { get; init; }
    [Id(9)] public required double CapacityRequestsPerSecond { get; init; }
    /// <summary>Demand over capacity; null with no replica serving.</summary>
    [Id(10)] public double? Utilization { get; init; }
    /// <summary>Null when overloaded (the queue grows without bound).</summary>
    [Id(11)] public double? TtftMs { get; init; }
    [Id(12)] public required double TpotMs { get; init; }
    [Id(13)] public required double PrefillMs { get; init; }
    [Id(14)] public required double KvFetchMs { get; init; }
    [Id(15)] public required int Batch { get; init; }
    [Id(16)] public required double TtftSlaMs { get; init; }
    [Id(17)] public required double TpotSlaMs { get; init; }
    [Id(18)] public required bool SlaMet { get; init; }
    [Id(19)] public string? Breach { get; init; }
    /// <summary>Share of the site's storage bandwidth up, which the NVMe KV tier is served from.</summary>
    [Id(20)] public required double StorageShare { get; init; }
    [Id(21)] public required DateTimeOffset AsOf { get; init; }
    [Id(22)] public required IReadOnlyList<JobTimelineEntry> Timeline { get; init; }
    /// <summary>bf16, fp8 or fp4: the precision the replicas compute in.</summary>
    [Id(23)] public string? Precision { get; init; }
    /// <summary>One request alone on a replica: time to first token and time per output token, ms.</summary>
    [Id(24)] public double BatchOneTtftMs { get; init; }
    [Id(25)] public double BatchOneTpotMs { get; init; }
    /// <summary>Output tokens/s of one replica at its largest batch within the TPOT SLA, and its TPOT there.</summary>
    [Id(26)] public double SaturatedTokensPerSecond { get; init; }
    [Id(27)] public double SaturatedTpotMs { get; init; }
}
