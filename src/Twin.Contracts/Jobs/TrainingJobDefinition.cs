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
    [property: Id(12)] double Overlap,
    [property: Id(13)] int SyncEverySteps,
    [property: Id(14)] bool Hierarchical,
    [property: Id(15)] double DatasetBytesPerToken = 0)
{
    public TrainingJobSpec ToSpec() => new()
    {
        Name = Name, Gpus = Gpus, Sites = Sites, Tp = Tp, Pp = Pp, Dp = Dp, ModelParams = ModelParams, TokensPerStep = TokensPerStep,
        CheckpointInterval = CheckpointInterval, CheckpointSizeGB = CheckpointSizeGB, OnFailure = OnFailure, OnDciCut = OnDciCut,
        Overlap = Overlap, SyncEverySteps = SyncEverySteps, Hierarchical = Hierarchical, DatasetBytesPerToken = DatasetBytesPerToken,
    };

    public static TrainingJobDefinition From(TrainingJobSpec s) => new(
        s.Name, s.Gpus, [.. s.Sites], s.Tp, s.Pp, s.Dp, s.ModelParams, s.TokensPerStep, s.CheckpointInterval, s.CheckpointSizeGB,
        s.OnFailure, s.OnDciCut, s.Overlap, s.SyncEverySteps, s.Hierarchical, s.DatasetBytesPerToken);
}
