using Twin.Model.Inference;
using Twin.Model.Workloads;

namespace Twin.Model.Tests.Inference;

public sealed class InferenceModelTests
{
    private static readonly GpuSpecs.Spec H100 = GpuSpecs.For("H100-SXM5-80GB");

    // 70B BF16 on 8 × H100, 2,000 prompt + 250 output tokens, 320 KiB of KV per token (the spec's defaults)
    private static InferenceServiceSpec Service(double rps = 10, int replicas = 1) =>
        new() { Name = "chat", Site = "east", RequestsPerSecond = rps, Replicas = replicas };

    [Fact]
    public void Capacity_FromTheMemoryRoofline_AndPrefill_ByHand()
    {
        var e = InferenceModel.Estimate(Service(), 1, H100);

        // KV room: 8 × 80 GB × 0.9 − 140 GB = 436 GB; a request holds 2,250 × 327,680 B = 737.28 MB → 591 sequences
        Assert.Equal(591, e.MaxBatch);
        Assert.Equal(591, e.Batch); // the 100 ms TPOT SLA would allow 3,647
        // decode step at 591: (140 GB + 591 × 2,125 × 327,680 B) / 26.8 TB/s = 20.579 ms for 591 tokens
        var step = (140e9 + 591 * 2125 * 327_680.0) / 26.8e12;
        // prefill of the 5 % of the prompt no cache tier holds (0.5 · 0.5 · 0.2 misses): 2 · 70e9 · 100 tokens at half of 8 × 989 TFLOPS
        var prefill = 2 * 70e9 * 2000 * 0.05 / (8 * 989e12 * 0.5);
        Assert.Equal(prefill * 1000, e.PrefillMs, 9);
        Assert.Equal(1 / (prefill + 250 * step / 591), e.ReplicaRequestsPerSecond, 6); // ≈ 81.7 req/s
        Assert.Equal(81.67, e.ReplicaRequestsPerSecond, 2);
        Assert.Equal(10 / e.CapacityRequestsPerSecond, e.Utilization, 12);

        // fetch of each GPU's 1/8 of the prompt KV (81.92 MB): HBM for half, DRAM a quarter, NVMe a fifth
        var fetch = 0.5 * (1e-6 + 81.92e6 / 3.35e12) + 0.25 * (10e-6 + 81.92e6 / 50e9) + 0.2 * (100e-6 + 81.92e6 / 7e9);
        Assert.Equal(fetch * 1000, e.KvFetchMs, 9);
        Assert.Equal((prefill + fetch) * 1000 / (1 - e.Utilization), e.TtftMs, 9);
        Assert.True(e.SlaMet);
    }

    [Fact]
    public void LosingAReplica_CanOverloadTheRest()
    {
        // 150 req/s on two replicas of ~81.7: ρ ≈ 0.92, within SLA; on one, ρ ≈ 1.84: overloaded
        var two = InferenceModel.Estimate(Service(150, 2), 2, H100);
        Assert.True(two.SlaMet, two.Breach);
        Assert.Equal(150 / (2 * two.ReplicaRequestsPerSecond), two.Utilization, 12);

        var one = InferenceModel.Estimate(Service(150, 2), 1, H100);
        Assert.False(one.SlaMet);
        Assert.StartsWith("overloaded", one.Breach);
        Assert.True(double.IsPositiveInfinity(one.TtftMs));

        var none = InferenceModel.Estimate(Service(150, 2), 0, H100);
        Assert.Equal("no healthy replica", none.Breach);
    }

    [Fact]
    public void SlowStorage_RaisesTtft_ThroughTheNvmeTier()
    {
        // NVMe at 1/1000 of its bandwidth (7 MB/s): the fifth of lookups served there take 81.92 MB / 7 MB/s ≈ 11.7 s
        var slow = InferenceModel.Estimate(Service(), 1, H100, nvmeShare: 0.001);
        var fetch = 0.5 * (1e-6 + 81.92e6 / 3.35e12) + 0.25 * (10e-6 + 81.92e6 / 50e9) + 0.2 * (100e-6 + 81.92e6 / 7e6);
        Assert.Equal(fetch * 1000, slow.KvFetchMs, 6);
        Assert.False(slow.SlaMet);
        Assert.StartsWith("TTFT", slow.Breach);
    }

    [Fact]
    public void ATightTpotSla_BoundsTheBatch()
    {
        // 30 ms per token: (0.03 · 26.8e12 − 140e9) / (2,125 · 327,680) = 960.8 → 960 sequences; memory allows 591
        Assert.Equal(591, InferenceModel.Estimate(Service() with { TpotSlaMs = 30 }, 1, H100).Batch);
        // 10 ms: 5.2 ms go to reading the weights, which leaves room for 183 sequences' KV
        var tight = InferenceModel.Estimate(Service() with { TpotSlaMs = 10 }, 1, H100);
        Assert.Equal(Math.Floor((0.01 * 26.8e12 - 140e9) / (2125 * 327_680.0)), tight.Batch);
    }

    [Fact]
    public void AModelTooBigForItsReplica_IsSaidSo()
    {
        var huge = Service() with { ModelParams = 405e9, GpusPerReplica = 4 };
        Assert.Contains("do not fit in 4 × 80 GB", InferenceModel.WontFit(huge, H100));
        Assert.Null(InferenceModel.WontFit(Service(), H100));
    }
}
