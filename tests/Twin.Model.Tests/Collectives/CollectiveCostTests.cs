using Twin.Model.Collectives;

namespace Twin.Model.Tests.Collectives;

public sealed class CollectiveCostTests
{
    private const double GB = 1e9;

    [Fact]
    public void RingAllReduce_MatchesTwoPMinusOneAlphaPlusTwoPMinusOneOverPNOverB()
    {
        // 1 GB over 8 ranks at 50 GB/s (a 400G NIC), α = 5 µs.
        const double n = 1 * GB, b = 50 * GB, alpha = 5e-6;
        const int p = 8;
        var expected = 2 * (p - 1) * alpha + 2.0 * (p - 1) / p * n / b;   // 70 µs + 35 ms
        Assert.Equal(0.03507, expected, 12);
        Assert.Equal(expected, RingAllReduce.Seconds(n, p, b, alpha), 12);
        Assert.Equal(0, RingAllReduce.Seconds(n, 1, b, alpha));
    }

    [Fact]
    public void TreeAllReduce_HasLogarithmicLatency()
    {
        const double n = 1e6, b = 50 * GB, alpha = 5e-6;
        Assert.Equal(2 * 4 * alpha + 2 * n / b, TreeAllReduce.Seconds(n, 16, b, alpha), 12);
        // Small messages over many ranks are latency-bound: the tree beats the ring.
        Assert.True(TreeAllReduce.Seconds(n, 1024, b, alpha) < RingAllReduce.Seconds(n, 1024, b, alpha));
    }

    [Fact]
    public void ReduceScatterAllGatherAllToAll_FollowPMinusOneFormula()
    {
        const double n = 4 * GB, b = 100 * GB, alpha = 2e-6;
        const int p = 16;
        var expected = (p - 1) * alpha + (p - 1.0) / p * n / b;
        Assert.Equal(expected, ReduceScatter.Seconds(n, p, b, alpha), 12);
        Assert.Equal(expected, AllGather.Seconds(n, p, b, alpha), 12);
        Assert.Equal(expected, AllToAll.Seconds(n, p, b, alpha), 12);
    }

    [Fact]
    public void BusBandwidth_OfAnIdealRing_EqualsTheLinkBandwidth()
    {
        // With α = 0 the ring is bandwidth-optimal, and nccl-tests' busbw is defined to equal B then.
        const double n = 2 * GB, b = 50 * GB;
        const int p = 64;
        var allReduce = BusBandwidth.AllReduce(BusBandwidth.AlgBw(n, RingAllReduce.Seconds(n, p, b, 0)), p);
        var allGather = BusBandwidth.AllGather(BusBandwidth.AlgBw(n, AllGather.Seconds(n, p, b, 0)), p);
        Assert.Equal(b, allReduce, 3);
        Assert.Equal(b, allGather, 3);
        Assert.Equal(10 * GB * 2 * 7 / 8, BusBandwidth.AllReduce(10 * GB, 8), 3);
        Assert.Equal(10 * GB * 7 / 8, BusBandwidth.ReduceScatter(10 * GB, 8), 3);
    }

    [Fact]
    public void Loss_OverLongHaul_GoBackNInflatesByTheWindow_SelectiveRepeatByTheLossOnly()
    {
        // 50 GB/s, α = 1 ms → RTT 2 ms → 100 MB in flight = 24,414 packets of 4 KiB.
        var goBackN = new CollectiveLevel(2, 50 * GB, 1e-3, LossRate: 1e-5, Recovery: LossRecovery.GoBackN);
        var window = 50 * GB * 2e-3 / 4096;
        Assert.Equal(window, goBackN.WindowPackets, 6);
        Assert.Equal(50 * GB / (1 + 1e-5 * window), goBackN.EffectiveBandwidthBytesPerSecond, 0);
        // the default: selective repeat resends only what was lost
        Assert.Equal(50 * GB * (1 - 1e-5), new CollectiveLevel(2, 50 * GB, 1e-3, LossRate: 1e-5).EffectiveBandwidthBytesPerSecond, 0);
        // a smaller in-flight window bounds both the stream and what go-back-N resends
        var windowed = goBackN with { InFlightBytes = 10e6 };
        Assert.Equal(10e6 / 4096, windowed.WindowPackets, 6);
        Assert.Equal(10e6 / 2e-3 / (1 + 1e-5 * 10e6 / 4096), windowed.EffectiveBandwidthBytesPerSecond, 0);
        Assert.Equal(50 * GB / 2, new CollectiveLevel(2, 50 * GB, 1e-3, Oversubscription: 2).EffectiveBandwidthBytesPerSecond, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CollectiveLevel(0, GB, 0));
    }

    [Fact]
    public void PipelinedRing_PaysTheSumOfItsHopLatencies()
    {
        // equal hops: the textbook 2(p−1)·α + 2(p−1)/p · n/B
        Assert.Equal(RingAllReduce.Seconds(1 * GB, 8, 50 * GB, 5e-6), RingAllReduce.PipelinedSeconds(1 * GB, 8, 50 * GB, 8 * 5e-6), 12);
        // 8 hops of which one is 5 ms long: the long hop counted 2·7/8 times, not 14
        var ring = 7 * 5e-6 + 5e-3;
        Assert.Equal(2 * 7.0 / 8 * (ring + 1 * GB / (50 * GB)), RingAllReduce.PipelinedSeconds(1 * GB, 8, 50 * GB, ring), 12);
    }
}
