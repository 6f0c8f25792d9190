using Twin.Model.Collectives;

namespace Twin.Model.Tests.Collectives;

public sealed class HierarchicalAllReduceTests
{
    private const double GB = 1e9;
    private const double Gradient = 10 * GB;   // bf16 gradients of a 5B-parameter model

    // H100 HGX: 8 GPUs, NVLink 450 GB/s each way; 128 hosts per site on 400G NICs (50 GB/s).
    private static readonly CollectiveLevel Domain = new(8, 450 * GB, 2e-6);
    private static readonly CollectiveLevel Site = new(128, 50 * GB, 5e-6);

    // Two sites, 8 × 400G of DCI each (400 GB/s), routers 10 µs.
    private static CollectiveLevel Dci(double km) => CollectiveLevel.Dci(2, km, 400 * GB);

    [Fact]
    public void TwoSites100KmApart_CostEachLevelByHand()
    {
        var cost = HierarchicalAllReduce.Cost(Gradient, Domain, Site, Dci(100));

        var reduceScatter = 7 * 2e-6 + 7.0 / 8 * Gradient / (450 * GB);              // in the NVLink domain
        var site = 2 * 127 * 5e-6 + 2 * 127.0 / 128 * (Gradient / 8) / (50 * GB);    // n/8 across 128 domains
        var alphaDci = 100 * 5e-6 + 10e-6;                                           // 0.5 ms fibre + routers
        var crossSite = 2 * 1 * alphaDci + 2 * 1.0 / 2 * Gradient / (400 * GB);      // n once per site
        var allGather = reduceScatter;

        Assert.Equal(reduceScatter, cost.DomainReduceScatterSeconds, 12);
        Assert.Equal(site, cost.SiteAllReduceSeconds, 12);
        Assert.Equal(crossSite, cost.CrossSiteSeconds, 12);
        Assert.Equal(allGather, cost.DomainAllGatherSeconds, 12);
        Assert.Equal(reduceScatter + site + crossSite + allGather, cost.TotalSeconds, 12);
    }

    [Fact]
    public void Hierarchical_BeatsAFlatRingAcrossSites()
    {
        var dci = Dci(100);
        var hierarchical = HierarchicalAllReduce.Cost(Gradient, Domain, Site, dci).TotalSeconds;
        var flat = HierarchicalAllReduce.FlatRingSeconds(Gradient, Domain, Site, dci);

        // The flat ring, pipelined: its hops' latencies summed (256 domains × 7 NVLink hops, 254 fabric hops, 2 DCI
        // hops), paid 2(p−1)/p times, at the slowest bandwidth (the NIC here).
        const int p = 8 * 128 * 2;
        var ring = 256 * 7 * 2e-6 + 254 * 5e-6 + 2 * dci.AlphaSeconds;
        Assert.Equal(2.0 * (p - 1) / p * (ring + Gradient / (50 * GB)), flat, 12);
        Assert.True(hierarchical < flat);
    }

    [Fact]
    public void StepTime_GrowsWithDciDistance()
    {
        // 0.1 s of compute, half of it overlappable: less than the ≈ 0.11 s all-reduce, so comm stays exposed.
        double Step(double km) => StepTime.Of(0.1, HierarchicalAllReduce.Cost(Gradient, Domain, Site, Dci(km)), overlapFraction: 0.5).TotalSeconds;
        double[] distances = [10, 100, 1_000, 5_000];
        var steps = distances.Select(Step).ToArray();
        for (var i = 1; i < steps.Length; i++)
        {
            Assert.True(steps[i] > steps[i - 1], $"{distances[i]} km should be slower than {distances[i - 1]} km");
        }
    }

    [Fact]
    public void Overlap_HidesCommunicationUpToTheOverlappableCompute()
    {
        Assert.Equal(1.0, StepTime.Of(1.0, 0.5, 0.8).TotalSeconds, 12);          // 0.5 − 0.8·1 < 0: all hidden
        Assert.Equal(1.0 + 0.25, StepTime.Of(1.0, 0.5, 0.25).TotalSeconds, 12);  // 0.5 − 0.25 exposed
        Assert.Equal(1.5, StepTime.Of(1.0, 0.5).TotalSeconds, 12);
    }

    [Fact]
    public void DelayedSync_AmortisesCrossSiteCommunication()
    {
        var cost = HierarchicalAllReduce.Cost(Gradient, Domain, Site, Dci(1_000));
        var everyStep = StepTime.Of(1.0, cost);
        var everyFour = StepTime.Of(1.0, cost, syncEverySteps: 4);
        Assert.Equal(cost.WithinSiteSeconds + cost.CrossSiteSeconds / 4, everyFour.CommSeconds, 12);
        Assert.True(everyFour.TotalSeconds < everyStep.TotalSeconds);
    }
}
