using Twin.Model.Scenarios;
using Twin.Silo.Cli;

namespace Twin.Api.Tests;

/// <summary>
/// Every shipped scenario on demo.yaml, and one scenario per rule the worlds share, run on both worlds with the same seed: the pure simulated world (offline runs,
/// forecasts) and the twin's own grains. The factory's rules live once in Twin.Model, so the answers must agree:
/// interruptions equal, goodput within half a point, recovery p95 and each site's fewest usable GPUs within 1 %,
/// security counts equal. A scenario listed in <see cref="KnownDifferences"/> is one where they still differ, with
/// the reason; the test fails if it starts to agree, so the list only ever shrinks.
/// </summary>
public sealed class ScenarioParityTests
{
    /// <summary>The shipped scenarios (scenarios/faults) and one per rule the worlds share (ParityScenarios).</summary>
    public static TheoryData<string> Scenarios() => new(
        "dci-cut", "spine-failure", "optic-degradation", "checkpoint-storm", "site-power-loss",
        "insider-exfiltration", "tenant-breakout", "dpu-ddos",
        "parity/shrink", "parity/restore-two-sites", "parity/dci-cut-three-sites", "parity/correlated");

    /// <summary>Scenarios whose two runs still differ, and why (what the worlds do not yet share).</summary>
    private static readonly Dictionary<string, string> KnownDifferences = new(StringComparer.Ordinal);

    private static async Task<ScenarioReport> Run(string scenario, string world)
    {
        var dir = Directory.CreateTempSubdirectory("twin-parity-").FullName;
        var file = scenario.StartsWith("parity/", StringComparison.Ordinal)
            ? TwinAppFixture.RepoFile($"tests/Twin.Api.Tests/ParityScenarios/{scenario["parity/".Length..]}.yaml")
            : TwinAppFixture.RepoFile($"scenarios/faults/{scenario}.yaml");
        string[] args = ["scenario", "run", file, "--world", world, "--report", dir];
        await TwinCommandLine.Create(args).Parse(args).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);
        return ScenarioReport.FromJson(await File.ReadAllTextAsync(Path.Combine(dir, "report.json"), TestContext.Current.CancellationToken));
    }

    private static List<string> Differences(ScenarioReport simulated, ScenarioReport grains)
    {
        var found = new List<string>();
        void Check(bool same, string what)
        {
            if (!same)
            {
                found.Add(what);
            }
        }
        static bool Within(double a, double b, double relative) => Math.Abs(a - b) <= relative * Math.Max(Math.Abs(a), Math.Abs(b)) + 1e-9;
        Check(simulated.Interruptions == grains.Interruptions, $"interruptions {simulated.Interruptions} vs {grains.Interruptions}");
        Check(Math.Abs(simulated.Goodput - grains.Goodput) <= 0.005, $"goodput {simulated.Goodput:P2} vs {grains.Goodput:P2}");
        Check(Within(simulated.Recovery.P95Seconds, grains.Recovery.P95Seconds, 0.01), $"recovery p95 {simulated.Recovery.P95Seconds:0.#} s vs {grains.Recovery.P95Seconds:0.#} s");
        foreach (var site in simulated.Sites)
        {
            var other = grains.Sites.Single(s => s.Name == site.Name);
            Check(Within(site.MinUsableGpus, other.MinUsableGpus, 0.01), $"{site.Name} fewest usable GPUs {site.MinUsableGpus} vs {other.MinUsableGpus}");
        }
        Check(simulated.Security with { DetectionDelaySeconds = null } == grains.Security with { DetectionDelaySeconds = null },
            $"security {simulated.Security} vs {grains.Security}");
        return found;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task BothWorlds_GiveTheSameAnswer(string scenario)
    {
        var simulated = await Run(scenario, "simulated");
        var grains = await Run(scenario, "twin");
        Assert.Equal(simulated.Seed, grains.Seed);
        Assert.Empty(simulated.Errors);
        Assert.Empty(grains.Errors);

        var differences = Differences(simulated, grains);
        if (KnownDifferences.TryGetValue(scenario, out var why))
        {
            Assert.True(differences.Count > 0, $"{scenario} now agrees on both worlds: remove it from KnownDifferences ({why})");
        }
        else
        {
            Assert.True(differences.Count == 0, $"{scenario}: {string.Join("; ", differences)}");
        }
    }

    [Theory]
    [InlineData("simulated")]
    [InlineData("twin")]
    public async Task EachWorld_RepeatsItselfForASeed(string world)
    {
        var first = await Run("parity/correlated", world);
        var second = await Run("parity/correlated", world);
        Assert.Equal(first.WithoutWallTime().ToJson(), second.WithoutWallTime().ToJson());
    }
}
