namespace Twin.Model.Workloads;

/// <summary>
/// A synchronous training job as submitted: size, parallelism, sites, checkpointing and what to do
/// on failure. Defaults describe a dense LLM on H100-class GPUs.
/// </summary>
public sealed record TrainingJobSpec
{
    public required string Name { get; init; }

    public required int Gpus { get; init; }

    /// <summary>Sites the job spans; more than one makes it a scale-across job over DCI.</summary>
    public IReadOnlyList<string> Sites { get; init; } = [];

    /// <summary>Tensor parallel degree: kept inside one NVLink domain.</summary>
    public int Tp { get; init; } = 8;

    /// <summary>Pipeline parallel degree.</summary>
    public int Pp { get; init; } = 1;

    /// <summary>Data parallel degree; tp × pp × dp = gpus. The DP dimension is the one that crosses sites.</summary>
    public int Dp { get; init; } = 1;

    /// <summary>Model parameters (e.g. 70e9).</summary>
    public double ModelParams { get; init; } = 70e9;

    /// <summary>Tokens per optimizer step (global batch).</summary>
    public double TokensPerStep { get; init; } = 4e6;

    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMinutes(30);

    public double CheckpointSizeGB { get; init; } = 1000;

    /// <summary>What a failed GPU does to the job: <c>spares</c> (reschedule onto healthy GPUs) or <c>shrink</c> (drop DP replicas).</summary>
    public string OnFailure { get; init; } = "spares";

    /// <summary>What a DCI cut does to a scale-across job: <c>stop</c> (wait for the link) or <c>split</c> (continue per site, shrunk).</summary>
    public string OnDciCut { get; init; } = "stop";

    /// <summary>
    /// Share of compute the data-parallel all-reduce may hide behind (0..1); null takes it from the schedule: the
    /// gradient reduce-scatter overlaps the last micro-batch's backward and the parameter all-gather the first one's
    /// forward, i.e. one micro-batch of compute.
    /// </summary>
    public double? Overlap { get; init; }

    /// <summary>Synchronise across sites every this many steps (bounded staleness; 1 = fully synchronous).</summary>
    public int SyncEverySteps { get; init; } = 1;

    /// <summary>
    /// Bytes of training data the data loaders read per token: ~2–4 for tokenized text, thousands for images or
    /// video. 0 leaves dataset reads out of the model (they rarely matter for text).
    /// </summary>
    public double DatasetBytesPerToken { get; init; }

    /// <summary>Use topology-aware hierarchical all-reduce (reduce in-site first, one stream per site over DCI); false = flat ring.</summary>
    public bool Hierarchical { get; init; } = true;

    /// <summary>Tokens per sequence; with <see cref="TokensPerStep"/> and <see cref="Dp"/> it gives the default micro-batches.</summary>
    public double SequenceLength { get; init; } = 8192;

    /// <summary>Micro-batches per step and pipeline; null = one sequence each, TokensPerStep / (SequenceLength · Dp).</summary>
    public int? MicroBatches { get; init; }

    /// <summary>Model chunks per pipeline rank (interleaved 1F1B; 1 = plain 1F1B): the bubble is (pp−1) / (chunks · micro-batches).</summary>
    public int PipelineInterleave { get; init; } = 1;

    /// <summary>Precision the matrix multiplies run in (bf16 unless declared).</summary>
    public ModelPrecision Precision { get; init; } = ModelPrecision.Bf16;

    /// <summary>Bytes per gradient element the data-parallel reduction moves: 2 for BF16, 4 when reduced in FP32.</summary>
    public double GradientBytesPerParam { get; init; } = 2;

    /// <summary>Transformer layers and hidden size; null derives them from ModelParams (N ≈ 12·L·d², d ≈ 128·L).</summary>
    public int? Layers { get; init; }

    public double? HiddenSize { get; init; }

    /// <summary>Bytes one cross-site communicator may keep in flight; null = NCCL's defaults (<see cref="Collectives.NcclWindow"/>).</summary>
    public double? DciInFlightBytes { get; init; }
}
