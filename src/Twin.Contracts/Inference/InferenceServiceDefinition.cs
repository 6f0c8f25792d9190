using Twin.Model.Inference;
using Twin.Model.Workloads;

namespace Twin.Contracts.Inference;

/// <summary>An inference service as grains carry it (the serialisable twin of <see cref="InferenceServiceSpec"/>).</summary>
[GenerateSerializer, Immutable, Alias("twin.inference-definition")]
public sealed record InferenceServiceDefinition(
    [property: Id(0)] string Name,
    [property: Id(1)] string Site,
    [property: Id(2)] double ModelParams,
    [property: Id(3)] double BytesPerParam,
    [property: Id(4)] int Replicas,
    [property: Id(5)] int GpusPerReplica,
    [property: Id(6)] double RequestsPerSecond,
    [property: Id(7)] double TokensIn,
    [property: Id(8)] double TokensOut,
    [property: Id(9)] double KvBytesPerToken,
    [property: Id(10)] double HbmHitRatio,
    [property: Id(11)] double DramHitRatio,
    [property: Id(12)] double NvmeHitRatio,
    [property: Id(13)] double TtftSlaMs,
    [property: Id(14)] double TpotSlaMs,
    [property: Id(15)] ModelPrecision? Precision = null,
    [property: Id(16)] int Layers = 80,
    [property: Id(17)] double HiddenSize = 8192)
{
    public InferenceServiceSpec ToSpec() => new()
    {
        Name = Name, Site = Site, ModelParams = ModelParams, BytesPerParam = BytesPerParam, Replicas = Replicas,
        GpusPerReplica = GpusPerReplica, RequestsPerSecond = RequestsPerSecond, TokensIn = TokensIn, TokensOut = TokensOut,
        KvBytesPerToken = KvBytesPerToken, HbmHitRatio = HbmHitRatio, DramHitRatio = DramHitRatio, NvmeHitRatio = NvmeHitRatio,
        TtftSlaMs = TtftSlaMs, TpotSlaMs = TpotSlaMs, Precision = Precision, Layers = Layers, HiddenSize = HiddenSize,
    };

    public static InferenceServiceDefinition From(InferenceServiceSpec s) => new(
        s.Name, s.Site, s.ModelParams, s.BytesPerParam, s.Replicas, s.GpusPerReplica, s.RequestsPerSecond, s.TokensIn, s.TokensOut,
        s.KvBytesPerToken, s.HbmHitRatio, s.DramHitRatio, s.NvmeHitRatio, s.TtftSlaMs, s.TpotSlaMs, s.Precision, s.Layers, s.HiddenSize);
}
