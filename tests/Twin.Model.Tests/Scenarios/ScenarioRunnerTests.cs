using System.Diagnostics;
using Twin.Model.Scenarios;
using Twin.Model.Topology;

namespace Twin.Model.Tests.Scenarios;

public sealed class ScenarioRunnerTests(ITestOutputHelper output)
{
    private static readonly Lazy<FactoryTopology> Demo = new(() => TopologyGenerator.Load(ScenarioFiles.Repo("scenarios/topologies/demo.yaml")));

    // demo.yaml east: 8 hot storage nodes × 50 GB/s read.
    private const double EastHotReadBytesPerSecond = 8 * 50e9;

    private static readonly SimulatedWorldOptions Timings = new();

    private static Task<ScenarioReport> Run(ScenarioSpec spec, ScenarioRunOptions? options = null) =>
        new ScenarioRunner(new SimulatedWorld(Demo.Value)).RunAsync(spec, options, TestContext.Current.CancellationToken);

    private const string OneJob = """
        name: one-gpu-fault
        topology: demo
        duration: 2h
        seed: 1
        workloads:
          - name: train
            gpus: 256
            sites: [east]
            tp: 8
            checkpoint: { interval: 30m, sizeGB: 1000 }
        faults:
          - at: 45m
            kind: gpu-xid
            selector: { job: train }
            parameters: { xid: 79 }
            repairAfter: 4h

        """;

    [Fact]
    public async Task OneGpuFault_At45MinutesWith30MinuteCheckpoints_CostsLostWorkPlusRecovery()
    {
        var report = await Run(ScenarioFiles.Parse(OneJob + """
            expectations:
              - job.train.lostWork == 15m
            """));

        // Checkpoints at 0 and 30 min: the fault at 45 min loses 15 min of work. Recovery = detection + restart
        // + restore of 1,000 GB at east's hot-tier read rate; training then resumes from the 30-min checkpoint.
        var wall = TimeSpan.FromHours(2).TotalSeconds;
        var lost = TimeSpan.FromMinutes(15).TotalSeconds;
        var restore = 1000e9 / EastHotReadBytesPerSecond;                                        // 2.5 s
        var recovery = Timings.Detection.TotalSeconds + Timings.Restart.TotalSeconds + restore;  // 7 min 2.5 s
        var expectedGoodput = (wall - lost - recovery) / wall;

        var job = Assert.Single(report.Jobs);
        Assert.Equal(1, job.Interruptions);
        Assert.Equal(lost, job.LostWorkSeconds, 6);
        Assert.Equal(recovery, Assert.Single(report.Recoveries).Seconds, 6);
        Assert.Equal(expectedGoodput, job.Goodput, 9);
        Assert.Equal(expectedGoodput, report.Goodput, 9);
        Assert.Equal(recovery, job.DowntimeSeconds, 6);
        Assert.True(report.Passed, string.Join("; ", report.Errors));
        // The failed GPU's host was swapped for a spare: the site is one host short only of its failed GPU.
        Assert.Equal(512 - 1, Assert.Single(report.Sites, s => s.Name == "east").UsableGpus);
    }

    [Fact]
    public async Task FailingExpectation_MakesTheRunFail_AndShowsTheActualValue()
    {
        var report = await Run(ScenarioFiles.Parse(OneJob + """
            expectations:
              - job.train.interruptions == 0
              - site.east.usableGpus >= 0.99 * total
            """));
        Assert.False(report.Passed);
        var broken = report.Expectations[0];
        Assert.False(broken.Passed);
        Assert.Equal(1, broken.Actual);
        Assert.Equal("== 0", broken.Expected);
        // 511 of 512 usable ≥ 0.99 × 512 = 506.88 still holds.
        Assert.True(report.Expectations[1].Passed);
        Assert.Equal(511, report.Expectations[1].Actual);
    }

    private const string Random = """
        name: random
        topology: demo
        duration: 3d
        seed: 42
        workloads:
          - name: train
            gpus: 256
            sites: [west]
            tp: 8
            checkpoint: { interval: 20m, sizeGB: 2000 }
        failures:
          - job: train
            profile: llama3
            scale: 40
          - site: east
            ratePerGpuHour: 1e-4
            causes: { gpu: gpu-xid, cable: link-down, host: host-power-loss }
        faults:
          - at: 1d
            kind: switch-down
            selector: { site: west, kind: switch, tier: spine }
            repairAfter: 3h
        """;

    [Fact]
    public async Task SameSpecAndSeed_GiveTheSameReport_ExceptWallTime()
    {
        var spec = ScenarioFiles.Parse(Random);
        var first = await Run(spec);
        var second = await Run(spec);
        Assert.True(first.Interruptions > 10, $"only {first.Interruptions} interruptions: the test needs random failures to mean anything");
        Assert.Equal(first.WithoutWallTime().ToJson(), second.WithoutWallTime().ToJson());

        var other = await Run(spec with { Seed = 43 });
        Assert.NotEqual(first.WithoutWallTime().ToJson(), other.WithoutWallTime().ToJson());
    }

    [Fact]
    public async Task Report_RoundTripsThroughJson_WithTheDocumentedTopLevelFields()
    {
        var report = await Run(ScenarioFiles.Parse(Random));
        var json = report.ToJson();
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        foreach (var field in new[] { "passed", "wallSeconds", "virtualSeconds", "interruptions", "goodput", "expectations", "series", "faults", "recoveries", "eventsPerSecond" })
        {
            Assert.True(doc.RootElement.TryGetProperty(field, out _), field);
        }
        Assert.Equal(json, ScenarioReport.FromJson(json).ToJson());
    }

    [Fact]
    public async Task RandomFailures_AreARateTimesGpusPoissonProcess()
    {
        // llama3 × 40 on 256 GPUs for 3 days: λ = 40 × 419 / (16,384 × 54 d) per GPU-day → expected count 256 × 3 × that.
        var report = await Run(ScenarioFiles.Parse(Random));
        var expected = 40 * 419.0 / (16_384 * 54.0) * 256 * 3;   // ≈ 14.6
        var jobFailures = report.Faults.Count(f => f.Source == "random" && (f.Target.StartsWith("west/", StringComparison.Ordinal) || f.Target == "train"));
        Assert.InRange(jobFailures, expected - 4 * Math.Sqrt(expected), expected + 4 * Math.Sqrt(expected));
        // Every random failure drawn for the job interrupts it (the spine failure adds one more).
        Assert.InRange(report.Jobs[0].Interruptions, jobFailures, jobFailures + 1);
    }

    [Fact]
    public async Task Pacing_WaitsOneWallSecondPerVirtualHour_AtSpeed3600()
    {
        var clock = new SkippingTimeProvider();
        var spec = ScenarioFiles.Parse(OneJob);
        var report = await new ScenarioRunner(new SimulatedWorld(Demo.Value), clock)
            .RunAsync(spec, new ScenarioRunOptions { Speed = 3600 }, TestContext.Current.CancellationToken);
        // 2 virtual hours at 3,600 virtual seconds per wall second: the last action is due 2 s after the start.
        Assert.Equal(2.0, report.WallSeconds, 3);
        Assert.Equal(3600, report.SpeedAchieved, 0);
    }

    public static TheoryData<string> ShippedDemoScenarios() => new(
        "dci-cut.yaml", "spine-failure.yaml", "optic-degradation.yaml", "checkpoint-storm.yaml", "site-power-loss.yaml",
        "insider-exfiltration.yaml", "tenant-breakout.yaml", "dpu-ddos.yaml");

    [Theory]
    [MemberData(nameof(ShippedDemoScenarios))]
    public async Task ShippedScenario_PassesOnTheSimulatedWorld(string file)
    {
        var spec = ScenarioLoader.LoadFile(Path.Combine(ScenarioFiles.FaultsFolder, file));
        var report = await Run(spec);
        foreach (var e in report.Expectations)
        {
            output.WriteLine($"{(e.Passed ? "pass" : "FAIL")}  {e.Name}  (actual {e.ActualText}, expected {e.Expected})");
        }
        Assert.True(report.Passed, string.Join("; ", report.Errors.Concat(report.Expectations.Where(e => !e.Passed).Select(e => $"{e.Name}: {e.ActualText}"))));
    }

    [Fact]
    public async Task CheckpointStorm_FourRestoresShareTheCapacityTier()
    {
        var spec = ScenarioLoader.LoadFile(Path.Combine(ScenarioFiles.FaultsFolder, "checkpoint-storm.yaml"));
        var report = await Run(spec);
        // west's hot tier is down: four 6,000 GB restores share the capacity tier, 4 nodes × 20 GB/s.
        var restore = 4 * 6000e9 / (4 * 20e9);                                                   // 300 s
        var recovery = Timings.Detection.TotalSeconds + Timings.Restart.TotalSeconds + restore;
        Assert.Equal(4, report.Recoveries.Count);
        Assert.All(report.Recoveries, r => Assert.Equal(recovery, r.Seconds, 6));
    }

    [Fact]
    public async Task Llama3For54Days_InterruptsAbout419Times_AndKeepsGoodputAbove90Percent()
    {
        var spec = ScenarioLoader.LoadFile(Path.Combine(ScenarioFiles.FaultsFolder, "llama3-54d.yaml"));
        var started = Stopwatch.GetTimestamp();
        var report = await new ScenarioRunner(new SimulatedWorld()).RunAsync(spec, cancellationToken: TestContext.Current.CancellationToken);
        var total = Stopwatch.GetElapsedTime(started);

        output.WriteLine($"llama3-54d: {report.Interruptions} interruptions, goodput {report.Goodput:P2}, recovery p95 {report.Recovery.P95Seconds:0} s, " +
            $"{report.EventsRecorded:N0} events, {report.Actions:N0} actions; run {report.WallSeconds:0.000} s wall " +
            $"({report.EventsPerSecond:N0} events/s, {report.ActionsPerSecond:N0} actions/s, ×{report.SpeedAchieved:N0}); with topology load {total.TotalSeconds:0.000} s");
        foreach (var e in report.Expectations)
        {
            output.WriteLine($"{(e.Passed ? "pass" : "FAIL")}  {e.Name}  (actual {e.ActualText}, expected {e.Expected})");
        }
        // Poisson(419): ±3σ ≈ ±61.
        Assert.InRange(report.Interruptions, 360, 480);
        Assert.True(report.Goodput > 0.9, $"goodput {report.Goodput}");
        Assert.True(report.Passed, string.Join("; ", report.Errors.Concat(report.Expectations.Where(e => !e.Passed).Select(e => $"{e.Name}: {e.ActualText}"))));

        var dir = Path.Combine(Path.GetTempPath(), "twin-scenario-reports");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "llama3-54d.json"), report.ToJson(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(dir, "llama3-54d.html"), ScenarioHtmlReport.Render(report), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task HtmlReport_IsSelfContained_WithChartsAndTheExpectationTable()
    {
        var spec = ScenarioLoader.LoadFile(Path.Combine(ScenarioFiles.FaultsFolder, "dci-cut.yaml"));
        var report = await Run(spec);
        var html = ScenarioHtmlReport.Render(report);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Equal(4, html.Split("<svg ").Length - 1);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Contains("job.across.interruptions == 1", html, StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "twin-dci-cut.html"), html, TestContext.Current.CancellationToken);
    }

    /// <summary>A clock whose timers fire at once, moving the clock to their due time: pacing without waiting.</summary>
    private sealed class SkippingTimeProvider : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                Interlocked.Add(ref _ticks, dueTime.Ticks);
                ThreadPool.QueueUserWorkItem(_ => callback(state));
            }
            return new NoTimer();
        }

        private sealed class NoTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
