namespace Twin.Client.Views;

/// <summary>Body of <c>POST /api/v1/jobs</c>; members left null take the twin's defaults.</summary>
public sealed record JobRequest(
    string? Name,
    string? Kind = "training",
    int? Gpus = null,
    string[]? Sites = null,
    JobParallelism? Parallelism = null,
    double? ModelParams = null,
    double? TokensPerStep = null,
    JobCheckpoint? Checkpoint = null,
    string? OnFailure = null,
    string? OnDciCut = null,
    double? Overlap = null,
    int? SyncEverySteps = null,
    string? Aggregation = null,
    JobDataset? Dataset = null);

/// <summary>What the job's data loaders read: bytes per training token.</summary>
public sealed record JobDataset(double? BytesPerToken);

/// <summary>Tensor, pipeline and data parallel degrees; their product is the job's GPU count.</summary>
public sealed record JobParallelism(int? Tp, int? Pp, int? Dp);

/// <summary>Checkpoint interval and size.</summary>
public sealed record JobCheckpoint(double? IntervalMinutes, double? SizeGB);
