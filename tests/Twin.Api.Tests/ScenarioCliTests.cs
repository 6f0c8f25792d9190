using Twin.Silo.Cli;

namespace Twin.Api.Tests;

/// <summary>The <c>twin scenario run</c> verb, in process: its exit code is what CI pipelines act on.</summary>
public sealed class ScenarioCliTests
{
    private static string Scenario(string expectation) => $$"""
        name: cli-check
        topology: {{TwinAppFixture.RepoFile("scenarios/topologies/demo.yaml")}}
        duration: 3h
        seed: 1
        workloads:
          - { name: train, gpus: 64, sites: [east], tp: 8, checkpoint: { interval: 30m, sizeGB: 1000 } }
        faults:
          - { at: 45m, kind: gpu-xid, target: east/gpu/h0000-1, parameters: { xid: 79 }, repairAfter: 1h }
        expectations:
          - {{expectation}}
        """;

    private static async Task<(int Code, string Dir)> Run(string expectation)
    {
        var dir = Directory.CreateTempSubdirectory("twin-cli-").FullName;
        var file = Path.Combine(dir, "cli-check.yaml");
        await File.WriteAllTextAsync(file, Scenario(expectation), TestContext.Current.CancellationToken);
        string[] args = ["scenario", "run", file, "--report", Path.Combine(dir, "out")];
        var code = await TwinCommandLine.Create(args).Parse(args).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);
        return (code, dir);
    }

    [Fact]
    public async Task AMetExpectation_ExitsZero_AndWritesBothReports()
    {
        var (code, dir) = await Run("job.train.interruptions == 1");
        Assert.Equal(0, code);
        Assert.True(File.Exists(Path.Combine(dir, "out", "report.json")));
        Assert.Contains("<svg", await File.ReadAllTextAsync(Path.Combine(dir, "out", "report.html"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AFailedExpectation_ExitsOne()
    {
        var (code, _) = await Run("job.train.interruptions == 0");
        Assert.Equal(1, code);
    }

    [Fact]
    public async Task AnInvalidFile_ExitsTwo()
    {
        var (code, _) = await Run("job.train.happiness >= 1");
        Assert.Equal(2, code);
    }

    [Fact]
    public async Task CheckpointStorm_OnTheTwinsOwnGrains_SharesTheCapacityTierAsComputedByHand()
    {
        // four 6,000 GB restores from west's capacity tier (4 × 20 GB/s) at once: 300 s each, so every recovery is
        // 2 min detection + 5 min restart + 5 min restore = 720 s (one alone would read in 75 s: 8m 15s)
        var dir = Directory.CreateTempSubdirectory("twin-cli-").FullName;
        string[] args = ["scenario", "run", TwinAppFixture.RepoFile("scenarios/faults/checkpoint-storm.yaml"), "--world", "twin", "--report", dir];
        var code = await TwinCommandLine.Create(args).Parse(args).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0, code);
        using var report = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "report.json"), TestContext.Current.CancellationToken));
        var recoveries = report.RootElement.GetProperty("recoveries").EnumerateArray().Select(r => r.GetProperty("seconds").GetDouble()).ToList();
        Assert.Equal(4, recoveries.Count);
        Assert.All(recoveries, seconds => Assert.Equal(720, seconds, 0.01));
    }

    [Theory]
    [InlineData("tenant-breakout", 10, 10, 0)]
    [InlineData("dpu-ddos", 64, 936, 0)]
    public async Task SecurityScenarios_OnTheTwinsOwnDpus_CountWhatTheyAllowAndBlock(string name, int allowed, int blocked, int crossTenant)
    {
        var dir = Directory.CreateTempSubdirectory("twin-cli-").FullName;
        string[] args = ["scenario", "run", TwinAppFixture.RepoFile($"scenarios/faults/{name}.yaml"), "--world", "twin", "--report", dir];
        var code = await TwinCommandLine.Create(args).Parse(args).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0, code);
        using var report = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "report.json"), TestContext.Current.CancellationToken));
        var security = report.RootElement.GetProperty("security");
        Assert.Equal((allowed, blocked, crossTenant),
            (security.GetProperty("allowed").GetInt32(), security.GetProperty("blocked").GetInt32(), security.GetProperty("crossTenantAllowed").GetInt32()));
    }
}
