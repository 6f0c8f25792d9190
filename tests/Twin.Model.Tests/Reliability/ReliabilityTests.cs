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
