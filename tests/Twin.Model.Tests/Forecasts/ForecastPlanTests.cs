using Twin.Model.Forecasts;
using Twin.Model.Health;
using Twin.Model.Scenarios;
using Twin.Model.Workloads;

namespace Twin.Model.Tests.Forecasts;

public sealed class ForecastPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheTwinsConfiguredRules_ReachTheSimulatedWorld_WithTheLiveJobsPlacements()
    {
        var rules = new SimulatedWorldOptions
        {
            Detection = TimeSpan.FromSeconds(30),
            Restart = TimeSpan.FromMinutes(12),
            Thresholds = new HealthThresholds { GpuDegradedTemperatureC = 80 },
        };
        var job = new ForecastJob("j-000001", new TrainingJobSpec { Name = "train", Gpus = 8, Dp = 1 }, ["east/gpu/h0000-0"]);
        var supposed = new ForecastFault("switch-down", "east/switch/leaf-00", TimeSpan.FromMinutes(5), new Dictionary<string, string>(), null);
        var input = new ForecastInput("demo", Now, TimeSpan.FromHours(1), [job], [], [supposed], 7, RandomFailures: false, rules);

        var (baseline, whatIf, world) = ForecastPlan.Build(input);

        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(12)), (world.Detection, world.Restart));
        Assert.Equal(80, world.Thresholds.GpuDegradedTemperatureC);
        Assert.Equal(["east/gpu/h0000-0"], world.Placements["j-000001"]);
        Assert.Empty(baseline.Faults);
        Assert.Equal("east/switch/leaf-00", Assert.Single(whatIf.Faults).Target);
        Assert.Equal((7, Now), (whatIf.Seed, whatIf.Start));
    }
}
