namespace Twin.Contracts.Jobs;

/// <summary>A job as REST shows it: what it is, where it runs, how fast, and what failures cost it.</summary>
[GenerateSerializer, Immutable, Alias("twin.job-view")]
public sealed record JobView
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required string Kind { get; init; }
    /// <summary><c>running</c>, <c>recovering</c>, <c>stopped</c>, <c>cancelled</c>.</summary>
    [Id(3)] public required string State { get; init; }
    [Id(4)] public required IReadOnlyList<string> Sites { get; init; }
    [Id(5)] public required int Gpus { get; init; }
    [Id(6)] public required Parallelism Parallelism { get; init; }
    [Id(7)] public required IReadOnlyList<string> Placement { get; init; }
    [Id(8)] public required double StepTimeMs { get; init; }
    /// <summary>The same step with a flat ring over every DP rank instead of topology-aware aggregation.</summary>
    [Id(9)] public required double FlatRingStepTimeMs { get; init; }
    [Id(10)] public required double ComputeMs { get; init; }
    [Id(11)] public required double ExposedCommMs { get; init; }
    [Id(12)] public required double CrossSiteCommMs { get; init; }
    [Id(13)] public required double TokensPerSecond { get; init; }
    [Id(14)] public required double Mfu { get; init; }
    [Id(15)] public required double Steps { get; init; }
    /// <summary>Useful training time / wall time since submission.</summary>
    [Id(16)] public required double Goodput { get; init; }
    [Id(17)] public required double UsefulSeconds { get; init; }
    [Id(18)] public required double LostSeconds { get; init; }
    [Id(19)] public required double DownSeconds { get; init; }
    [Id(20)] public required double RestartSeconds { get; init; }
    [Id(21)] public required double RestoreSeconds { get; init; }
    [Id(22)] public required int Interruptions { get; init; }
    [Id(23)] public required int Checkpoints { get; init; }
    [Id(24)] public required DateTimeOffset SubmittedAt { get; init; }
    [Id(25)] public required DateTimeOffset AsOf { get; init; }
    [Id(26)] public DateTimeOffset? LastCheckpoint { get; init; }
    [Id(27)] public DateTimeOffset? ResumeAt { get; init; }
    /// <summary>Young/Daly optimum √(2·δ·MTBF) for this job's checkpoint write time and expected MTBF.</summary>
    [Id(28)] public required double RecommendedCheckpointMinutes { get; init; }
    [Id(29)] public required double CheckpointIntervalMinutes { get; init; }
    [Id(30)] public required IReadOnlyList<JobTimelineEntry> Timeline { get; init; }
    /// <summary>What its data loaders ask of storage while it runs (0 when dataset reads are not modelled), GB/s.</summary>
    [Id(31)] public double DatasetReadGBps { get; init; }
    /// <summary>Share of those reads storage serves now; below 1 the GPUs wait on data and the step stretches.</summary>
    [Id(32)] public double DatasetSupply { get; init; } = 1;
}

[GenerateSerializer, Immutable, Alias("twin.parallelism")]
public sealed record Parallelism([property: Id(0)] int Tp, [property: Id(1)] int Pp, [property: Id(2)] int Dp);

[GenerateSerializer, Immutable, Alias("twin.job-timeline-entry")]
public sealed record JobTimelineEntry([property: Id(0)] DateTimeOffset Time, [property: Id(1)] string Kind, [property: Id(2)] string Detail);
