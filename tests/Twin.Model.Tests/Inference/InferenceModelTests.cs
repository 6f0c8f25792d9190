using Twin.Model.Inference;
using Twin.Model.Workloads;

namespace Twin.Model.Tests.Inference;

public sealed class InferenceModelTests
{
    private static readonly GpuSpecs.Spec H100 = GpuSpecs.For("H100-SXM5-80GB");

    // 70B BF16 on 8 × H100, 2,000 prompt + 250 output tokens, 320 KiB of KV per token, no prefix cache (the spec's defaults)
    private static InferenceServiceSpec Service(double rps = 10, int replicas = 1) =>
        new() { Name = "chat", Site = "east", RequestsPerSecond = rps, Replicas = replicas };

    // The rooflines of the default replica by hand: 8 × H100 at 65 % of HBM bandwidth and 50 % of the BF16 peak.
    private const double Bandwidth = 8 * 3.35e12 * 0.65, Flops = 8 * 989e12 * 0.5;

    // One engine step of b sequences with their prompt chunks riding along (2,000 prompt tokens per 250 output).
    private static double Step(double b, double missTokens = 2000)
    {
        var prompt = b * missTokens / 250;
        var tokens = b + prompt;
        var gemms = Math.Max(140e9 / Bandwidth, 2 * 70e9 * tokens / Flops);
        var kv = b * 2125 * 327_680.0 / Bandwidth;                       // mean context 2,000 + 125
        var attention = prompt * 2 * 80 * 8192 * 2000 / Flops;           // causal prefill attention
        var allReduce = 2 * 80 * (10e-6 + 2 * 7.0 / 8 * tokens * 8192 * 2 / 360e9);
        return gemms + kv + attention + allReduce;
    }

    [Fact]
    public void Capacity_FromEachKernelsRoofline_ByHand()
    {
        var e = InferenceModel.Estimate(Service(5), 1, H100);

        // KV room: 0.9 × (640 GB − 140 GB of weights − 8,192 tokens × 34 × 8,192 B of activations) = 447.9 GB;
        // a request holds 2,250 × 327,680 B = 737.28 MB → 607 sequences
        var budget = 0.9 * (640e9 - 140e9 - 8192 * 34 * 8192.0);
        Assert.Equal(Math.Floor(budget / (2250 * 327_680.0)), e.MaxBatch);
        Assert.Equal(607, e.MaxBatch);
        // each step also carries 8 prompt tokens per sequence, compute-bound: the 100 ms TPOT SLA stops at 205
        var batch = Enumerable.Range(1, 607).Last(b => Step(b) <= 0.1);
        Assert.Equal(205, batch);
        Assert.Equal(batch, e.Batch);
        Assert.Equal(Step(batch), e.SaturatedTpotMs / 1000, 9);
        Assert.Equal(batch / Step(batch), e.SaturatedTokensPerSecond, 6);
        Assert.Equal(batch / Step(batch) / 250, e.ReplicaRequestsPerSecond, 9);
        Assert.InRange(e.ReplicaRequestsPerSecond, 8, 9);                 // ≈ 8.6 req/s per 8-GPU BF16 replica
        Assert.Equal(5 / e.CapacityRequestsPerSecond, e.Utilization, 12);

        // no prefix cache declared: the whole prompt is prefilled, nothing fetched
        var prefill = 2 * 70e9 * 2000 / Flops + 2000.0 * 2 * 80 * 8192 * 2000 / Flops + 2 * 80 * (10e-6 + 2 * 7.0 / 8 * 2000 * 8192 * 2 / 360e9);
        Assert.Equal(prefill * 1000, e.PrefillMs, 9);
        Assert.Equal(0, e.KvFetchMs);
        Assert.Equal(prefill * 1000, e.BatchOneTtftMs, 9);
        Assert.Equal(Step(1, 0) * 1000, e.BatchOneTpotMs, 9);
        Assert.Equal(prefill * 1000 / (1 - e.Utilization), e.TtftMs, 9);
        Assert.True(e.SlaMet);
    }

    [Fact]
    public void Fp8_RunsAtTheFp8Peak_AndReadsHalfTheBytes()
    {
        var bf16 = InferenceModel.Estimate(Service(), 1, H100);
        var fp8 = InferenceModel.Estimate(Service() with { BytesPerParam = 1 }, 1, H100);
        Assert.Equal(ModelPrecision.Fp8, (Service() with { BytesPerParam = 1 }).EffectivePrecision);
        // batch 1 is memory-bound: the weight read halves
        Assert.Equal(70e9 / Bandwidth + 2125 * 327_680.0 / Bandwidth + 2 * 80 * (10e-6 + 2 * 7.0 / 8 * 8192 * 2 / 360e9), fp8.BatchOneTpotMs / 1000, 9);
        // prefill is compute-bound: the FP8 peak (1,979 TFLOPS, twice BF16's) halves its GEMMs and attention;
        // the all-reduces do not change
        var flops = (2 * 70e9 * 2000 + 2000.0 * 2 * 80 * 8192 * 2000);
        Assert.Equal(bf16.PrefillMs - (flops / Flops - flops / (8 * 1979e12 * 0.5)) * 1000, fp8.PrefillMs, 9);
        // a GPU without FP4 tensor cores runs FP4 weights at its FP8 rate
        Assert.Equal(H100.DenseTflops(ModelPrecision.Fp8), H100.DenseTflops(ModelPrecision.Fp4));
        Assert.Equal(9000, GpuSpecs.For("B200").DenseTflops(ModelPrecision.Fp4));
    }

    [Fact]
    public void ADeclaredPrefixCache_PrefillsOnlyTheMisses_AndFetchesTheRest()
    {
        var cached = InferenceModel.Estimate(Service() with { HbmHitRatio = 0.5, DramHitRatio = 0.5, NvmeHitRatio = 0.8 }, 1, H100);
        // 5 % of the prompt misses every tier (0.5 · 0.5 · 0.2): 100 tokens prefilled, compute-bound no more
        var prefill = Math.Max(140e9 / Bandwidth, 2 * 70e9 * 100 / Flops) + 100 * 2 * 80 * 8192 * 2000.0 / Flops
            + 2 * 80 * (10e-6 + 2 * 7.0 / 8 * 100 * 8192 * 2 / 360e9);
        Assert.Equal(prefill * 1000, cached.PrefillMs, 9);
        // each GPU fetches its 1/8 of the prompt KV (81.92 MB): HBM for half, DRAM a quarter, NVMe a fifth
        var fetch = 0.5 * (1e-6 + 81.92e6 / 3.35e12) + 0.25 * (10e-6 + 81.92e6 / 50e9) + 0.2 * (100e-6 + 81.92e6 / 7e9);
        Assert.Equal(fetch * 1000, cached.KvFetchMs, 9);
        Assert.Equal(Step(cached.Batch, 100), cached.SaturatedTpotMs / 1000, 9);
        Assert.True(cached.ReplicaRequestsPerSecond > 3 * InferenceModel.Estimate(Service(), 1, H100).ReplicaRequestsPerSecond);
    }

    [Fact]
    public void LosingAReplica_CanOverloadTheRest()
    {
        // 15 req/s on two replicas of ~8.2: ρ ≈ 0.91, within SLA; on one, ρ ≈ 1.8: overloaded
        var two = InferenceModel.Estimate(Service(15, 2), 2, H100);
        Assert.True(two.SlaMet, two.Breach);
        Assert.Equal(15 / (2 * two.ReplicaRequestsPerSecond), two.Utilization, 12);

        var one = InferenceModel.Estimate(Service(15, 2), 1, H100);
        Assert.False(one.SlaMet);
        Assert.StartsWith("overloaded", one.Breach);
        Assert.True(double.IsPositiveInfinity(one.TtftMs));

        var none = InferenceModel.Estimate(Service(15, 2), 0, H100);
        Assert.Equal("no healthy replica", none.Breach);
    }

    [Fact]
    public void SlowStorage_RaisesTtft_ThroughTheNvmeTier()
    {
        // NVMe at 1/1000 of its bandwidth (7 MB/s): the fifth of lookups served there take 81.92 MB / 7 MB/s ≈ 11.7 s
        var slow = InferenceModel.Estimate(Service() with { HbmHitRatio = 0.5, DramHitRatio = 0.5, NvmeHitRatio = 0.8 }, 1, H100, nvmeShare: 0.001);
        var fetch = 0.5 * (1e-6 + 81.92e6 / 3.35e12) + 0.25 * (10e-6 + 81.92e6 / 50e9) + 0.2 * (100e-6 + 81.92e6 / 7e6);
        Assert.Equal(fetch * 1000, slow.KvFetchMs, 6);
        Assert.False(slow.SlaMet);
        Assert.StartsWith("TTFT", slow.Breach);
    }

    [Fact]
    public void ATightTpotSla_BoundsTheBatch()
    {
        // 30 ms per token: the largest batch whose step (prompt chunks included) takes at most 30 ms
        Assert.Equal(Enumerable.Range(1, 607).Last(b => Step(b) <= 0.03), InferenceModel.Estimate(Service() with { TpotSlaMs = 30 }, 1, H100).Batch);
        // 5 ms: less than one read of the weights (8.04 ms): a single sequence, and the SLA breached
        var tight = InferenceModel.Estimate(Service(0.1) with { TpotSlaMs = 5 }, 1, H100);
        Assert.Equal(1, tight.Batch);
        Assert.StartsWith("TPOT", tight.Breach);
    }

    [Fact]
    public void AModelTooBigForItsReplica_IsSaidSo()
    {
        var huge = Service() with { ModelParams = 405e9, GpusPerReplica = 4 };
        Assert.Contains("do not fit in 4 × 80 GB", InferenceModel.WontFit(huge, H100));
        Assert.Null(InferenceModel.WontFit(Service(), H100));
    }
}
