namespace Twin.Api.Views;

/// <summary>
/// Body of <c>POST /api/v1/jobs</c>, e.g. <c>{"name":"llm-2site","kind":"training","gpus":512,"sites":["east","west"],
/// "parallelism":{"tp":8,"pp":4,"dp":16},"modelParams":70e9,"checkpoint":{"intervalMinutes":30,"sizeGB":1000}}</c>.
/// </summary>
public sealed record JobRequestBody(
    string? Name,
    string? Kind,
    int? Gpus,
    string[]? Sites,
    ParallelismBody? Parallelism,
    double? ModelParams,
    double? TokensPerStep,
    CheckpointBody? Checkpoint,
    string? OnFailure,
    string? OnDciCut,
    double? Overlap,
    int? SyncEverySteps,
    string? Aggregation,
    DatasetBody? Dataset = null);

public sealed record ParallelismBody(int? Tp, int? Pp, int? Dp);

/// <summary>What the data loaders read: bytes per training token (≈ 2–4 tokenized text, thousands for images/video).</summary>
public sealed record DatasetBody(double? BytesPerToken);

public sealed record CheckpointBody(double? IntervalMinutes, double? SizeGB);
