using Twin.Model.Workloads;

namespace Twin.Model.Tests.Workloads;

public sealed class StepTimeEstimatorTests
{
    private static readonly TrainingJobSpec TwoSiteJob = new()
    {
        Name = "llm-2site", Gpus = 512, Sites = ["east", "west"], Tp = 8, Pp = 4, Dp = 16, ModelParams = 70e9,
        TokensPerStep = 4e6, Overlap = 0,
    };

    private static JobEnvironment Env(double km) => new()
    {
        GpuModel = "H100", NicGbps = 400, Sites = 2, DciDistanceKm = km, DciAvailableGbps = 6400, ComputeEfficiency = 0.5,
    };

    [Fact]
    public void Compute_IsSixNTOverGpusTimesPeakTimesEfficiency()
    {
        var e = StepTimeEstimator.Estimate(TwoSiteJob, Env(600));
        Assert.Equal(6 * 70e9 * 4e6 / (512 * 989e12 * 0.5), e.ComputeSeconds, 9);
    }

    [Fact]
    public void HierarchicalCase_ByHand()
    {
        // shard = 2·70e9 / (8·4) = 4.375 GB; 8 DP ranks per site on 400G NICs (50 GB/s), α = 5 µs:
        //   in-site ring: 2·7·5e-6 + 2·(7/8)·4.375e9/50e9
        // DCI: 2 sites, 6.4 Tb/s shared by 32 groups = 25 GB/s each, α = 600 km · 5 µs + 10 µs router:
        //   2·1·α + 2·(1/2)·4.375e9/25e9
        var e = StepTimeEstimator.Estimate(TwoSiteJob, Env(600));
        var inSite = 2 * 7 * 5e-6 + 2 * (7.0 / 8) * 4.375e9 / 50e9;
        var alpha = 600 * 5e-6 + 10e-6;
        var dci = 2 * alpha + 4.375e9 / 25e9;
        Assert.Equal(inSite, e.WithinSiteCommSeconds, 9);
        Assert.Equal(dci, e.CrossSiteCommSeconds, 9);
        Assert.Equal(e.ComputeSeconds + inSite + dci, e.StepSeconds, 9);
    }

    [Fact]
    public void StepTime_GrowsWithDciDistance()
    {
        var near = StepTimeEstimator.Estimate(TwoSiteJob, Env(100));
        var far = StepTimeEstimator.Estimate(TwoSiteJob, Env(2000));
        // two ring steps of one-way latency each: 2·(2000−100) km · 5 µs
        Assert.Equal(2 * 1900 * 5e-6, far.StepSeconds - near.StepSeconds, 9);
    }

    [Fact]
    public void TopologyAwareAggregation_BeatsAFlatRingAcrossSites()
    {
        var e = StepTimeEstimator.Estimate(TwoSiteJob, Env(600));
        Assert.True(e.StepSeconds < e.FlatRingStepSeconds, $"{e.StepSeconds} vs {e.FlatRingStepSeconds}");
        var flatJob = StepTimeEstimator.Estimate(TwoSiteJob with { Hierarchical = false }, Env(600));
        Assert.Equal(e.FlatRingStepSeconds, flatJob.StepSeconds, 9);
    }

    [Fact]
    public void Overlap_HidesCrossSiteTime_AndDelayedSyncAmortisesIt()
    {
        var exposed = StepTimeEstimator.Estimate(TwoSiteJob, Env(600));
        var overlapped = StepTimeEstimator.Estimate(TwoSiteJob with { Overlap = 1 }, Env(600));
        Assert.Equal(overlapped.ComputeSeconds, overlapped.StepSeconds, 9);
        var everyFour = StepTimeEstimator.Estimate(TwoSiteJob with { SyncEverySteps = 4 }, Env(600));
        Assert.Equal(exposed.CrossSiteCommSeconds / 4, everyFour.CrossSiteCommSeconds, 9);
    }
}
