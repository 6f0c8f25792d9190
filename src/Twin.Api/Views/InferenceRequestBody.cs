namespace Twin.Api.Views;

/// <summary>
/// Body of <c>POST /api/v1/inference</c>, e.g. <c>{"name":"chat","site":"east","model":{"params":70e9,"bytesPerParam":2},
/// "replicas":4,"gpusPerReplica":8,"requestsPerSecond":120,"tokensIn":2000,"tokensOut":250,
/// "kvCache":{"hbmHitRatio":0.5,"dramHitRatio":0.5,"nvmeHitRatio":0.8},"slaMs":{"ttft":2000,"tpot":100}}</c>.
/// </summary>
public sealed record InferenceRequestBody(
    string? Name,
    string? Site,
    ModelBody? Model,
    int? Replicas,
    int? GpusPerReplica,
    double? RequestsPerSecond,
    double? TokensIn,
    double? TokensOut,
    double? KvBytesPerToken,
    KvCacheBody? KvCache,
    SlaBody? SlaMs);

public sealed record ModelBody(double? Params, double? BytesPerParam);

public sealed record KvCacheBody(double? HbmHitRatio, double? DramHitRatio, double? NvmeHitRatio);

public sealed record SlaBody(double? Ttft, double? Tpot);
