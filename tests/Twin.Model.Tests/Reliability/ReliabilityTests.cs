using Twin.Model.Reliability;

namespace Twin.Model.Tests.Reliability;

public sealed class ReliabilityTests
{
    [Fact]
    public void YoungDaly_IsSquareRootOfTwoDeltaMtbf()
    {
        // δ = 60 s, MTBF = 24 h: √(2 · 60 · 86,400) = √10,368,000 ≈ 3,219.9 s ≈ 53.7 min.
        var tau = YoungDaly.OptimalInterval(TimeSpan.FromSeconds(60), TimeSpan.FromHours(24));
        Assert.Equal(Math.Sqrt(2 * 60 * 86_400.0), tau.TotalSeconds, 3);
        Assert.InRange(tau.TotalMinutes, 53.6, 53.7);
    }

    [Fact]
    public void YoungDalyInterval_MinimisesTheFirstOrderWaste()
    {
        var delta = TimeSpan.FromSeconds(30);
        var mtbf = TimeSpan.FromHours(3);
        var restart = TimeSpan.FromMinutes(5);
        var tau = YoungDaly.OptimalInterval(delta, mtbf);
        var best = GoodputCalculator.WasteFraction(tau, mtbf, delta, restart);
        Assert.True(best < GoodputCalculator.WasteFraction(tau / 2, mtbf, delta, restart));
        Assert.True(best < GoodputCalculator.WasteFraction(tau * 2, mtbf, delta, restart));
    }

    [Fact]
    public void Llama3_419UnexpectedInterruptionsIn54DaysOn16384Gpus()
    {
        var llama = FailureProfile.Llama3_405B;
        Assert.Equal(419, llama.UnexpectedInterruptions);
        Assert.Equal(466, llama.UnexpectedInterruptions + llama.PlannedInterruptions);
        Assert.Equal(419.0 / (16_384 * 54 * 24), llama.FailuresPerGpuHour(), 15);
        // One job on all 16,384 GPUs: 54 × 24 / 419 ≈ 3.09 h between failures ("about one every three hours").
        Assert.Equal(54 * 24 / 419.0, llama.Mtbf(16_384).TotalHours, 6);
    }

    [Fact]
    public void Llama3_CauseWeights_SumToOne_FaultyGpuLeads()
    {
        var weights = FailureProfile.Llama3_405B.CauseWeights();
        Assert.Equal(1.0, weights.Values.Sum(), 12);
        Assert.Equal(148 / 419.0, weights["faulty-gpu"], 12);
        Assert.Equal(72 / 419.0, weights["gpu-hbm3"], 12);
        Assert.Equal("faulty-gpu", weights.MaxBy(w => w.Value).Key);
    }

    [Fact]
    public void Llama3_WithFastCheckpoints_KeepsGoodputAboveNinetyPercent()
    {
        // Meta reports > 90% effective training time. With a 10 s (asynchronous, in-memory first) checkpoint
        // write and a 5 min restart: τ = √(2 · 10 · 11,135) ≈ 472 s, waste ≈ 0.021 + 0.021 + 0.027 ≈ 0.07.
        var mtbf = FailureProfile.Llama3_405B.Mtbf(16_384);
        var delta = TimeSpan.FromSeconds(10);
        var restart = TimeSpan.FromMinutes(5);
        var tau = YoungDaly.OptimalInterval(delta, mtbf);
        var m = 54 * 24 * 3600 / 419.0;
        var expectedWaste = 10 / Math.Sqrt(2 * 10 * m) + Math.Sqrt(2 * 10 * m) / (2 * m) + 300 / m;
        var goodput = GoodputCalculator.Expected(tau, mtbf, delta, restart);
        Assert.Equal(1 - expectedWaste, goodput, 4);
        Assert.True(goodput > 0.9);
    }

    [Fact]
    public void ExpectedGoodput_HandComputed()
    {
        // τ = 1 h, MTBF = 10 h, δ = 2 min, R = 10 min: 2/60 + 60/1200 + 10/600 = 1/30 + 1/20 + 1/60 = 0.1.
        var goodput = GoodputCalculator.Expected(TimeSpan.FromHours(1), TimeSpan.FromHours(10), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10));
        Assert.Equal(0.9, goodput, 9);
    }

    [Fact]
    public void MeasuredGoodput_IsUsefulOverWall()
    {
        // 100 h wall, 3 h of work recomputed, 2 h restarting: 95 useful hours.
        Assert.Equal(0.95, GoodputCalculator.Measured(TimeSpan.FromHours(100), TimeSpan.FromHours(3), TimeSpan.FromHours(2)), 9);
        Assert.Equal(0.0, GoodputCalculator.Measured(TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.Zero));
    }
}

public sealed class ScopedFailureTests
{
    [Fact]
    public void ALeafFailure_InterruptsASmallJobOnce_ByTheLeafsRate_NotItsGpuShare()
    {
        var llama = FailureProfile.Llama3_405B;
        var day = TimeSpan.FromDays(1);
        // 35 switch/cable interruptions over the 64 leaves (16,384 GPUs / 256 per leaf) of the profiled job: an 8-GPU
        // job on one leaf sees 35/64 per 54 days from them, not 35 × 8/16,384
        var leafCause = llama.Causes.Single(c => c.Name == "network-switch-cable");
        Assert.Equal(FailureScope.Leaf, leafCause.Scope);
        var eight = llama.ExpectedUnexpected(8, day);
        var perGpu = llama.Causes.Where(c => c.Scope == FailureScope.Gpu).Sum(c => c.Count) * 8.0 / 16_384;
        var perHost = llama.Causes.Where(c => c.Scope == FailureScope.Host).Sum(c => c.Count) / 2_048.0;
        var perRack = llama.Causes.Where(c => c.Scope == FailureScope.Rack).Sum(c => c.Count) / 512.0;
        Assert.Equal((perGpu + perHost + perRack + 35 / 64.0) / 54, eight, 12);
        // the whole fleet: the published counts
        Assert.Equal(419, llama.ExpectedUnexpected(16_384, TimeSpan.FromDays(54)), 9);
    }

    [Fact]
    public void GpusLostPerInterruption_WeighsEachCausesScope()
    {
        var llama = FailureProfile.Llama3_405B;
        var d = FailureDomains.Hgx;
        var expected = llama.Causes.Sum(c => c.Count * (double)d.Gpus(c.Scope)) / 419;
        Assert.Equal(expected, llama.GpusLostPerInterruption(), 12);
        Assert.True(expected > 1);
        Assert.Equal(256, d.Gpus(FailureScope.Leaf));
        Assert.Equal(32, d.Gpus(FailureScope.Rack));
    }

    [Fact]
    public void RestartTime_GrowsWithTheRanks()
    {
        Assert.Equal(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(30.0 / 12_288 * 16_384), RestartTime.For(16_384));
        Assert.True(RestartTime.For(100_000) > RestartTime.For(1_000));
        Assert.Equal(TimeSpan.FromSeconds(60 + 2_048 * 0.5), RestartTime.For(2_048, TimeSpan.FromMinutes(1), 0.5));
    }

    [Fact]
    public void CheckpointCost_SynchronousWaitsForStorage_AsynchronousOnlyForTheHostCopy()
    {
        // 5.7 TB: at 2 TB/s of storage 2.85 s; asynchronously each of 16,384 GPUs copies 348 MB at 50 GB/s ≈ 7 ms
        Assert.Equal(2.85, CheckpointCost.BlockingSeconds(5.7e12, 16_384, 2e12, 819.2e12, asynchronous: false), 9);
        Assert.Equal(5.7e12 / 16_384 / 50e9, CheckpointCost.BlockingSeconds(5.7e12, 16_384, 2e12, 819.2e12, asynchronous: true), 12);
        // the fabric can be the narrower pipe
        Assert.Equal(5.7, CheckpointCost.BlockingSeconds(5.7e12, 16_384, 2e12, 1e12, asynchronous: false), 9);
        var mtbf = TimeSpan.FromHours(3);
        Assert.Equal(Math.Sqrt(2 * 2.85 * 3 * 3600), CheckpointCost.OptimalInterval(2.85, mtbf).TotalSeconds, 3);
    }
}
