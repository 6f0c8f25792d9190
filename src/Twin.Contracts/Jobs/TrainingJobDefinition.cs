using Twin.Model.Workloads;

namespace Twin.Contracts.Jobs;

/// <summary>A training job as grains carry it (the serialisable twin of <see cref="TrainingJobSpec"/>).</summary>
[GenerateSerializer, Immutable, Alias("twin.training-job-definition")]
public sealed record TrainingJobDefinition(
    [property: Id(0)] string Name,
    [property: Id(1)] int Gpus,
    [property: Id(2)] string[] Sites,
    [property: Id(3)] int Tp,
    [property: Id(4)] int Pp,
    [property: Id(5)] int Dp,
    [property: Id(6)] double ModelParams,
    [property: Id(7)] double TokensPerStep,
    [property: Id(8)] TimeSpan CheckpointInterval,
    [property: Id(9)] double CheckpointSizeGB,
    [property: Id(10)] FailurePolicy OnFailure,
    [property: Id(11)] DciCutPolicy OnDciCut,
    [property: Id(12)] double? Overlap,
    [property: Id(13)] int SyncEverySteps,
    [property: Id(14)] bool Hierarchical,
    [property: Id(15)] double DatasetBytesPerToken = 0,
    [property: Id(16)] double SequenceLength = 8192,
    [property: Id(17)] int? MicroBatches = null,
    [property: Id(18)] int PipelineInterleave = 1,
    [property: Id(19)] ModelPrecision Precision = ModelPrecision.Bf16,
    [property: Id(20)] double GradientBytesPerParam = 2,
    [property: Id(21)] int? Layers = null,
    [property: Id(22)] double? HiddenSize = null,
    [property: Id(23)] double? DciInFlightBytes = null)
{
    public TrainingJobSpec ToSpec() => new()
    {
        Name = Name, Gpus = Gpus, Sites = Sites, Tp = Tp, Pp = Pp, Dp = Dp, ModelParams = ModelParams, TokensPerStep = TokensPerStep,
        CheckpointInterval = CheckpointInterval, CheckpointSizeGB = CheckpointSizeGB, OnFailure = OnFailure, OnDciCut = OnDciCut,
        Overlap = Overlap, SyncEverySteps = SyncEverySteps, Hierarchical = Hierarchical, DatasetBytesPerToken = DatasetBytesPerToken,
        SequenceLength = SequenceLength, MicroBatches = MicroBatches, PipelineInterleave = PipelineInterleave, Precision = Precision,
        GradientBytesPerParam = GradientBytesPerParam, Layers = Layers, HiddenSize = HiddenSize, DciInFlightBytes = DciInFlightBytes,
    };

    public static TrainingJobDefinition From(TrainingJobSpec s) => new(
        s.Name, s.Gpus, [.. s.Sites], s.Tp, s.Pp, s.Dp, s.ModelParams, s.TokensPerStep, s.CheckpointInterval, s.CheckpointSizeGB,
        s.OnFailure, s.OnDciCut, s.Overlap, s.SyncEverySteps, s.Hierarchical, s.DatasetBytesPerToken, s.SequenceLength, s.MicroBatches,
        s.PipelineInterleave, s.Precision, s.GradientBytesPerParam, s.Layers, s.HiddenSize, s.DciInFlightBytes);
}
