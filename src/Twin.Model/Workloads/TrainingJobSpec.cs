using Twin.Model.Outcomes;

namespace Twin.Model.Workloads;

/// <summary>
/// A synchronous training job as submitted: size, parallelism, sites, checkpointing and what to do
/// on failure. Defaults describe a dense LLM on H100-class GPUs; REST bodies and scenario files leave
/// out what they do not set and get these same defaults, and both check a job with <see cref="Validate"/>.
/// </summary>
public sealed record TrainingJobSpec
{
    public required string Name { get; init; }

    public required int Gpus { get; init; }

    /// <summary>Sites the job spans; more than one makes it a scale-across job over DCI.</summary>
    public IReadOnlyList<string> Sites { get; init; } = [];

    /// <summary>Tensor parallel degree: kept inside one NVLink domain (8, an HGX board, unless given).</summary>
    public int Tp { get; init; } = DefaultTp;

    public const int DefaultTp = 8;

    /// <summary>The data-parallel degree a job that does not give one gets: whatever tp × pp leaves of its GPUs.</summary>
    public static int DefaultDp(int gpus, int tp, int pp) => Math.Max(1, gpus / Math.Max(1, tp * pp));

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

    public FailurePolicy OnFailure { get; init; } = FailurePolicy.Spares;

    public DciCutPolicy OnDciCut { get; init; } = DciCutPolicy.Stop;

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

    /// <summary>
    /// Every rule a job must meet before it is placed, for REST and scenario files alike: positive sizes,
    /// tp × pp × dp = gpus, known sites, a DP degree that splits evenly over them (DP is what crosses sites).
    /// </summary>
    public IReadOnlyList<FieldError> Validate(IEnumerable<string> knownSites)
    {
        var errors = new List<FieldError>();
        void Check(bool ok, string field, string message)
        {
            if (!ok)
            {
                errors.Add(new FieldError(field, message));
            }
        }
        Check(!string.IsNullOrWhiteSpace(Name), "name", "name is required");
        Check(Gpus > 0, "gpus", "gpus must be a positive number");
        Check(Tp >= 1 && Pp >= 1 && Dp >= 1, "parallelism", "tp, pp and dp must be ≥ 1");
        Check((long)Tp * Pp * Dp == Gpus, "parallelism", $"tp × pp × dp = {Tp} × {Pp} × {Dp} = {(long)Tp * Pp * Dp} must equal gpus ({Gpus})");
        var known = knownSites.ToHashSet(StringComparer.Ordinal);
        foreach (var site in Sites.Where(s => !known.Contains(s)))
        {
            errors.Add(new FieldError("sites", $"no site '{site}'; sites are {string.Join(", ", known)}"));
        }
        Check(Sites.Count <= 1 || Dp % Sites.Count == 0, "parallelism.dp",
            $"dp {Dp} must split evenly over {Sites.Count} sites (DP is the dimension that crosses sites)");
        Check(ModelParams > 0 && double.IsFinite(ModelParams), "modelParams", "must be positive");
        Check(TokensPerStep > 0 && double.IsFinite(TokensPerStep), "tokensPerStep", "must be positive");
        Check(CheckpointInterval > TimeSpan.Zero, "checkpoint.intervalMinutes", "must be a positive number of minutes");
        Check(CheckpointSizeGB > 0 && double.IsFinite(CheckpointSizeGB), "checkpoint.sizeGB", "must be positive");
        Check(Overlap is null or (>= 0 and <= 1), "overlap", "overlap is a fraction between 0 and 1");
        Check(SyncEverySteps >= 1, "syncEverySteps", "syncEverySteps must be ≥ 1");
        Check(DatasetBytesPerToken >= 0 && double.IsFinite(DatasetBytesPerToken), "dataset.bytesPerToken", "bytes per token must be a finite number ≥ 0");
        return errors;
    }
}
