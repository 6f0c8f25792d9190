using Twin.Model.Collectives;

namespace Twin.Model.Tests.Calibration;

/// <summary>
/// Collective rows of docs/calibration.md: a flat ring across two sites 1,000 km apart (2,048 ranks: 2 sites × 128
/// HGX hosts × 8 GPUs, 10 GB of gradients, 400G NICs, 400 GB/s of DCI per site), with NCCL's pipelining and its
/// in-flight window; and loss on the DCI under selective repeat and go-back-N.
/// </summary>
public sealed class CollectiveCalibrationTests
{
    private const double GB = 1e9, Gradient = 10 * GB;
    private static readonly CollectiveLevel Domain = new(8, 450 * GB, 2e-6);
    private static readonly CollectiveLevel Site = new(128, 50 * GB, 5e-6);

    [Fact]
    public void FlatRing_1000Km_Pipelined_PaysTheDciLatencyAFewTimes()
    {
        // the bandwidth term at the NIC, 2·2047/2048 · 10 GB / 50 GB/s = 0.4 s, plus the ring's latency about twice:
        // 256 domains × 7 NVLink hops × 2 µs + 254 fabric hops × 5 µs + 2 DCI hops × 5.01 ms ≈ 14.9 ms
        var dci = CollectiveLevel.Dci(2, 1_000, 400 * GB);
        Published.Within(HierarchicalAllReduce.FlatRingSeconds(Gradient, Domain, Site, dci), 0.44, 0.10, "flat ring 1,000 km, pipelined");
    }

    [Fact]
    public void FlatRing_1000Km_WithNcclsDefaultWindow_IsWindowLimited()
    {
        // 16 channels × 4 MiB per 10.02 ms round trip = 6.7 GB/s across the DCI: 2·2047/2048 · 10 GB / 6.7 GB/s ≈ 3 s
        var dci = CollectiveLevel.Dci(2, 1_000, 400 * GB, inFlightBytes: NcclWindow.DefaultInFlightBytes);
        Assert.Equal(16 * 4 * 1024 * 1024 / 10.02e-3, dci.EffectiveBandwidthBytesPerSecond, 0);
        Published.Within(HierarchicalAllReduce.FlatRingSeconds(Gradient, Domain, Site, dci), 3.0, 0.10, "flat ring 1,000 km, NCCL window");
    }

    [Fact]
    public void Loss_1e4_Over1000Km_SelectiveRepeatDegradesGracefully_GoBackNCollapses()
    {
        var selective = CollectiveLevel.Dci(2, 1_000, 400 * GB, lossRate: 1e-4);
        var goBackN = selective with { Recovery = LossRecovery.GoBackN };
        // selective repeat resends the lost 0.01 %; go-back-N resends the ≈ 978,000 packets in flight after each loss
        Assert.Equal(1 - 1e-4, selective.GoodputFactor, 12);
        Assert.True(selective.GoodputFactor >= 0.9);
        Assert.True(goBackN.GoodputFactor < 0.02, $"{goBackN.GoodputFactor}");
    }
}
