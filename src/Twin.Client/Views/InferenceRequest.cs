namespace Twin.Client.Views;

/// <summary>Body of <c>POST /api/v1/inference</c>; members left null take the twin's defaults (a 70B BF16 model).</summary>
public sealed record InferenceRequest(
    string Name,
    string Site,
    InferenceModelSize? Model = null,
    int? Replicas = null,
    int? GpusPerReplica = null,
    double? RequestsPerSecond = null,
    double? TokensIn = null,
    double? TokensOut = null,
    double? KvBytesPerToken = null,
    InferenceKvCache? KvCache = null,
    InferenceSla? SlaMs = null);

/// <summary>Parameters, bytes per parameter (2 BF16, 1 FP8), and optionally the precision computed in (bf16, fp8, fp4), layers and hidden size.</summary>
public sealed record InferenceModelSize(double? Params, double? BytesPerParam, string? Precision = null, int? Layers = null, double? HiddenSize = null);

/// <summary>Prefix-cache hit ratios per tier.</summary>
public sealed record InferenceKvCache(double? HbmHitRatio, double? DramHitRatio, double? NvmeHitRatio);

/// <summary>Time-to-first-token and time-per-output-token SLAs, ms.</summary>
public sealed record InferenceSla(double? Ttft, double? Tpot);
