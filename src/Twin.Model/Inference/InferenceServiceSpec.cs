using Twin.Model.Storage;
using Twin.Model.Workloads;

namespace Twin.Model.Inference;

/// <summary>
/// An LLM inference service as deployed: the model, its replicas (each a tensor-parallel group inside one NVLink
/// domain), the load it serves and its latency SLA. Defaults describe a 70B dense model with grouped-query
/// attention in BF16 (80 layers × 8 KV heads × 128 dims × K and V × 2 bytes = 320 KiB of KV cache per token,
/// hidden size 8,192). No prefix cache unless one is declared (hit ratios above 0).
/// </summary>
public sealed record InferenceServiceSpec
{
    public required string Name { get; init; }

    public required string Site { get; init; }

    public double ModelParams { get; init; } = 70e9;

    /// <summary>2 for BF16 weights, 1 for FP8.</summary>
    public double BytesPerParam { get; init; } = 2;

    /// <summary>Precision the matrix multiplies run in; null reads it from <see cref="BytesPerParam"/>.</summary>
    public ModelPrecision? Precision { get; init; }

    /// <summary>Transformer layers: each costs two tensor-parallel all-reduces per forward pass.</summary>
    public int Layers { get; init; } = 80;

    /// <summary>Model (hidden) dimension: the width of the activations those all-reduces carry.</summary>
    public double HiddenSize { get; init; } = 8192;

    public int Replicas { get; init; } = 1;

    public int GpusPerReplica { get; init; } = 8;

    /// <summary>Requests arriving per second, over all replicas.</summary>
    public double RequestsPerSecond { get; init; } = 10;

    /// <summary>Prompt tokens per request (prefill).</summary>
    public double TokensIn { get; init; } = 2000;

    /// <summary>Generated tokens per request (decode).</summary>
    public double TokensOut { get; init; } = 250;

    public double KvBytesPerToken { get; init; } = 2 * 80 * 8 * 128 * 2;

    /// <summary>Share of prompt KV blocks found in each tier (prefix cache): HBM, then host DRAM, then NVMe.</summary>
    public double HbmHitRatio { get; init; }

    public double DramHitRatio { get; init; }

    public double NvmeHitRatio { get; init; }

    /// <summary>Time-to-first-token SLA, ms.</summary>
    public double TtftSlaMs { get; init; } = 2000;

    /// <summary>Time-per-output-token SLA, ms.</summary>
    public double TpotSlaMs { get; init; } = 100;

    public double WeightBytes => ModelParams * BytesPerParam;

    public ModelPrecision EffectivePrecision => Precision ?? ModelPrecisions.FromBytesPerParam(BytesPerParam);

    /// <summary>The prefix cache tiers; the NVMe tier's bandwidth scaled by what the site's storage still offers.</summary>
    public KvCacheTiers Cache(double nvmeShare = 1.0)
    {
        var typical = KvCacheTiers.Typical(HbmHitRatio, DramHitRatio, NvmeHitRatio);
        if (nvmeShare >= 1)
        {
            return typical;
        }
        var nvme = typical.Tiers[2];
        // a slow or failed storage node: lookups reaching NVMe are served at what is left (a trickle when nothing is)
        return typical with { Tiers = [typical.Tiers[0], typical.Tiers[1], nvme with { BandwidthBytesPerSecond = nvme.BandwidthBytesPerSecond * Math.Max(1e-3, nvmeShare) }] };
    }
}
