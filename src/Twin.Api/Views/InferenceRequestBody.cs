namespace Twin.Api.Views;

/// <summary>
/// Body of <c>POST /api/v1/inference</c>, e.g. <c>{"name":"chat","site":"east","model":{"params":70e9,"precision":"fp8"},
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

/// <summary>Parameters, bytes per weight, the precision computed in (bf16, fp8, fp4; default from bytes per parameter), layers and hidden size.</summary>
public sealed record ModelBody(double? Params, double? BytesPerParam, string? Precision = null, int? Layers = null, double? HiddenSize = null);

public sealed record KvCacheBody(double? HbmHitRatio, double? DramHitRatio, double? NvmeHitRatio);

public sealed record SlaBody(double? Ttft, double? Tpot);
