using Twin.Model.Collectives;
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

    // The shape the estimator derives from 70e9 parameters (d ≈ 128·L, N ≈ 12·L·d²) and the micro-batches of one
    // 8,192-token sequence each: 4e6 / 16 DP groups / 8,192 = 30.5 → 31.
    private static readonly double Hidden = Math.Cbrt(70e9 * 128 / 12), Layers = 70e9 / (12 * Hidden * Hidden);
    private const int MicroBatches = 31;
    private static readonly double Activations = 4e6 / 16 / MicroBatches * Hidden * 2;

    private static double Compute(double mfu) => 6 * 70e9 * 4e6 / (512 * 989e12 * mfu);

    private static double TensorParallel => Layers / 4 * MicroBatches * 8 * (7 * 1e-6 + 7.0 / 8 * Activations / 360e9);

    private static double PipelineParallel => 2.0 * MicroBatches * (5e-6 + Activations / 8 / 50e9);

    private static double Pipelined(double mfu) => (Compute(mfu) + TensorParallel) * (1 + 3.0 / MicroBatches) + PipelineParallel;

    [Fact]
    public void Compute_IsSixNTOverGpusTimesPeakTimesEfficiency_TheGpusOwnUnlessSet()
    {
        Assert.Equal(Compute(0.5), StepTimeEstimator.Estimate(TwoSiteJob, Env(600)).ComputeSeconds, 9);
        Assert.Equal(Compute(0.6), StepTimeEstimator.Estimate(TwoSiteJob, Env(600) with { ComputeEfficiency = null }).ComputeSeconds, 9);
        var fp8 = StepTimeEstimator.Estimate(TwoSiteJob with { Precision = ModelPrecision.Fp8 }, Env(600));
        Assert.Equal(6 * 70e9 * 4e6 / (512 * 1979e12 * 0.5), fp8.ComputeSeconds, 9);
    }

    [Fact]
    public void Pipeline_BubbleTensorAndPipelineParallelism_ByHand()
    {
        var e = StepTimeEstimator.Estimate(TwoSiteJob, Env(600));
        Assert.Equal(MicroBatches, e.MicroBatches);
        Assert.Equal(3.0 / MicroBatches, e.BubbleFraction, 12);
        Assert.Equal(TensorParallel, e.TensorParallelSeconds, 9);
        Assert.Equal(PipelineParallel, e.PipelineParallelSeconds, 9);
        // interleaving four model chunks per rank quarters the bubble and quadruples the boundary sends
        var interleaved = StepTimeEstimator.Estimate(TwoSiteJob with { PipelineInterleave = 4 }, Env(600));
        Assert.Equal(3.0 / (4 * MicroBatches), interleaved.BubbleFraction, 12);
        Assert.Equal(4 * PipelineParallel, interleaved.PipelineParallelSeconds, 9);
    }

    [Fact]
    public void HierarchicalCase_ByHand()
    {
        // shard = 2·70e9 / (8·4) = 4.375 GB; 8 DP ranks per site on 400G NICs (50 GB/s), α = 5 µs:
        //   in-site ring: 2·7·5e-6 + 2·(7/8)·4.375e9/50e9
        // DCI: 2 sites, 6.4 Tb/s shared by 32 groups = 25 GB/s each, but NCCL's 64 MiB in flight per 6.02 ms round
        // trip (600 km · 5 µs + 10 µs of routers, twice) carries only 11.1 GB/s: 2·1·α + 2·(1/2)·4.375e9/11.1e9
        var e = StepTimeEstimator.Estimate(TwoSiteJob, Env(600));
        var inSite = 2 * 7 * 5e-6 + 2 * (7.0 / 8) * 4.375e9 / 50e9;
        var alpha = 600 * 5e-6 + 10e-6;
        var window = 16 * 4 * 1024 * 1024 / (2 * alpha);
        var dci = 2 * alpha + 4.375e9 / window;
        Assert.Equal(inSite, e.WithinSiteCommSeconds, 9);
        Assert.Equal(dci, e.CrossSiteCommSeconds, 9);
        Assert.Equal(Pipelined(0.5) + inSite + dci, e.StepSeconds, 9);
        Assert.Equal(6 * 70e9 * 4e6 / (512 * 989e12 * e.StepSeconds), e.Mfu, 12);

        // a job that declares a larger window gets the DCI's share
        var wide = StepTimeEstimator.Estimate(TwoSiteJob with { DciInFlightBytes = 1e9 }, Env(600));
        Assert.Equal(2 * alpha + 4.375e9 / 25e9, wide.CrossSiteCommSeconds, 9);
    }

    [Fact]
    public void StepTime_GrowsWithDciDistance()
    {
        var near = StepTimeEstimator.Estimate(TwoSiteJob, Env(100));
        var far = StepTimeEstimator.Estimate(TwoSiteJob, Env(2000));
        Assert.True(far.StepSeconds > near.StepSeconds);
        // with a window wide enough for both, only the two ring steps' latency differ: 2·(2000−100) km · 5 µs
        var wide = TwoSiteJob with { DciInFlightBytes = 1e9 };
        Assert.Equal(2 * 1900 * 5e-6, StepTimeEstimator.Estimate(wide, Env(2000)).StepSeconds - StepTimeEstimator.Estimate(wide, Env(100)).StepSeconds, 9);
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
    public void Overlap_FromTheSchedule_OrDeclared_AndDelayedSyncAmortisesIt()
    {
        var exposed = StepTimeEstimator.Estimate(TwoSiteJob, Env(600));
        var comm = exposed.WithinSiteCommSeconds + exposed.CrossSiteCommSeconds;
        // by default the reduction hides behind one micro-batch of compute and TP communication
        var schedule = StepTimeEstimator.Estimate(TwoSiteJob with { Overlap = null }, Env(600));
        var window = (Compute(0.5) + TensorParallel) / MicroBatches;
        Assert.Equal(window, schedule.OverlapWindowSeconds, 9);
        Assert.Equal(Pipelined(0.5) + Math.Max(0, comm - window), schedule.StepSeconds, 9);
        // declared: all of compute may hide it, and it is all hidden
        var overlapped = StepTimeEstimator.Estimate(TwoSiteJob with { Overlap = 1 }, Env(600));
        Assert.Equal(Pipelined(0.5), overlapped.StepSeconds, 9);
        var everyFour = StepTimeEstimator.Estimate(TwoSiteJob with { SyncEverySteps = 4 }, Env(600));
        Assert.Equal(exposed.CrossSiteCommSeconds / 4, everyFour.CrossSiteCommSeconds, 9);
    }

    [Fact]
    public void FabricCongestion_SlowsTheInSiteReduction()
    {
        var congested = StepTimeEstimator.Estimate(TwoSiteJob, Env(600) with { FabricOversubscription = 2 });
        Assert.Equal(2 * 7 * 5e-6 + 2 * (7.0 / 8) * 4.375e9 / 25e9, congested.WithinSiteCommSeconds, 9);
    }
}
