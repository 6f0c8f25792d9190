using System.Text.Json;
using System.Text.Json.Nodes;
using Twin.Client.Views;
using Twin.Model.Devices;
using Twin.Silo.Cli.Remote;

namespace Twin.Client.Tests;

/// <summary>Every remote verb of <c>twin</c>, in process against a real twin, in each output format.</summary>
[Collection(OpenTwinCollection.Name)]
public sealed class CliVerbTests(OpenTwinFixture twin)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<Cli.Result> Twin(params string[] args) => Cli.Run([.. args, .. twin.Remote()]);

    private static JsonArray Array(Cli.Result r) => JsonNode.Parse(r.Out)!.AsArray();

    [Fact]
    public async Task GetSites_AsTableWideAndJson()
    {
        var json = await Twin("get", "sites", "-o", "json");
        Assert.Equal(0, json.Code);
        var sites = Array(json);
        Assert.Equal(twin.Topology.SiteNames.Order(), sites.Select(s => (string)s!["name"]!).Order());
        Assert.Equal(64 * 8, (int)sites.Single(s => (string)s!["name"]! == "east")!["gpus"]!["total"]!);

        var table = await Twin("get", "sites");
        Assert.Equal(0, table.Code);
        Assert.Contains("SITE", table.Out);
        Assert.DoesNotContain("GPU MODEL", table.Out);
        Assert.All(twin.Topology.SiteNames, s => Assert.Contains(s, table.Out));
        var wide = await Twin("get", "sites", "-o", "wide");
        Assert.Contains("GPU MODEL", wide.Out);
        Assert.Contains("H100-SXM5-80GB", wide.Out);
    }

    [Fact]
    public async Task GetDevices_FollowsEveryPage_AndFilters()
    {
        var all = await Twin("get", "devices", "-o", "json");
        Assert.Equal(0, all.Code);
        Assert.Equal(twin.Topology.Devices.Count, Array(all).Count);

        var gpus = await Twin("get", "devices", "--site", "west", "--kind", "gpu", "-o", "json");
        var expected = twin.Topology.Devices.Count(d => d.Site == "west" && d.Kind == DeviceKind.Gpu);
        Assert.Equal(48 * 8, expected);
        Assert.Equal(expected, Array(gpus).Count);
        Assert.All(Array(gpus), d => Assert.Equal(("west", "gpu"), ((string)d!["site"]!, (string)d["kind"]!)));

        var table = await Twin("get", "devices", "--site", "east", "--kind", "storage");
        Assert.Equal(0, table.Code);
        Assert.Contains("HEALTH", table.Out);
        Assert.Equal(8 + 4, table.Out.Split('\n').Count(l => l.Contains("east/storage/", StringComparison.Ordinal)));
        var wide = await Twin("get", "devices", "--site", "east", "--kind", "storage", "-o", "wide");
        Assert.Contains("TIER", wide.Out);
        Assert.Contains("capacity", wide.Out);
    }

    [Fact]
    public async Task Describe_ShowsOneDevice_AsPropertiesOrJson()
    {
        var text = await Twin("describe", "device", "east/gpu/h0002-4");
        Assert.Equal(0, text.Code);
        Assert.Contains("east/gpu/h0002-4", text.Out);
        Assert.Contains("health:", text.Out);
        var json = await Twin("describe", "device", "east/gpu/h0002-4", "-o", "json");
        var device = JsonNode.Parse(json.Out)!;
        Assert.Equal(("east/gpu/h0002-4", "gpu", "healthy"), ((string)device["id"]!, (string)device["kind"]!, (string)device["health"]!));

        var unknown = await Twin("describe", "device", "east/gpu/h9999-0");
        Assert.Equal(ExitCodes.Failure, unknown.Code);
        Assert.StartsWith("404 Unknown device", unknown.Error);
    }

    [Fact]
    public async Task FaultInjectAndRepair_ShowUpInGetFaultsAndEvents()
    {
        var inject = await Twin("fault", "inject", "gpu-xid", "west/gpu/h0001-1", "--param", "xid=79", "--duration", "6h", "-o", "json");
        Assert.Equal(0, inject.Code);
        var fault = JsonNode.Parse(inject.Out)!;
        var id = (string)fault["id"]!;
        Assert.Equal(("gpu-xid", "west/gpu/h0001-1", "79", true), ((string)fault["kind"]!, (string)fault["target"]!, (string)fault["parameters"]!["xid"]!, (bool)fault["active"]!));

        var faults = await Twin("get", "faults", "--active", "true", "-o", "json");
        Assert.Contains(Array(faults), f => (string)f!["id"]! == id);
        var table = await Twin("get", "faults", "--site", "west");
        Assert.Contains(id, table.Out);
        Assert.Contains("active", table.Out);
        var wide = await Twin("get", "faults", "--site", "west", "-o", "wide");
        Assert.Contains("SOURCE", wide.Out);

        var events = await Twin("events", "--kind", "fault-injected", "--site", "west", "-o", "json");
        Assert.Equal(0, events.Code);
        Assert.Contains(Array(events), e => (string?)e!["faultId"] == id);
        var eventTable = await Twin("events", "--kind", "fault-injected", "--site", "west", "-o", "wide");
        Assert.Contains(id, eventTable.Out);

        var repair = await Twin("fault", "repair", id);
        Assert.Equal(0, repair.Code);
        Assert.StartsWith($"{id} repaired: gpu-xid on west/gpu/h0001-1", repair.Out);
        var again = await Twin("fault", "repair", "f-does-not-exist");
        Assert.Equal(ExitCodes.Failure, again.Code);
        Assert.StartsWith("404", again.Error);

        var badParam = await Twin("fault", "inject", "gpu-xid", "west/gpu/h0001-1", "--param", "xid");
        Assert.Equal(ExitCodes.Usage, badParam.Code);
        var missingXid = await Twin("fault", "inject", "gpu-xid", "west/gpu/h0001-1");
        Assert.Equal(ExitCodes.Failure, missingXid.Code);
        Assert.Contains("(field: parameters.xid)", missingXid.Error);
    }

    [Fact]
    public async Task EventsWatch_ReceivesAFaultInjectedMeanwhile()
    {
        using var client = twin.Client();
        var last = (await client.GetEventPageAsync(long.MaxValue - 1, limit: 1, cancellationToken: Ct)).Last;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        // --since pins the resume point, so the injection below is in the feed however late the watch connects
        var watch = Cli.Run(timeout.Token, ["events", "--watch", "--since", last.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--kind", "fault-injected", "--count", "1", "-o", "json", .. twin.Remote()]);
        var fault = await client.InjectFaultAsync(new FaultRequest("gpu-xid", "north/gpu/h0002-0", new Dictionary<string, string> { ["xid"] = "48" }), Ct);
        var result = await watch;
        Assert.Equal(0, result.Code);
        var line = Assert.Single(result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var e = JsonNode.Parse(line)!;
        Assert.Equal((fault.Id, "fault-injected", "north"), ((string)e["faultId"]!, (string)e["kind"]!, (string)e["site"]!));
        await client.RepairFaultAsync(fault.Id, Ct);

        var tableWatch = Cli.Run(timeout.Token, ["events", "-w", "--since", last.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--kind", "fault-injected", "--count", "1", .. twin.Remote()]);
        var table = await tableWatch;
        Assert.Contains("SEQ", table.Out);
        Assert.Contains("fault-injected", table.Out);
    }

    [Fact]
    public async Task JobSubmit_TakesYamlOrJson_InTheShapeOfThePostBody()
    {
        var dir = Directory.CreateTempSubdirectory("twin-job-").FullName;
        var yaml = Path.Combine(dir, "job.yaml");
        await File.WriteAllTextAsync(yaml, """
            name: cli-yaml-job
            kind: training
            gpus: 64
            sites: [east]
            parallelism: { tp: 8, pp: 1, dp: 8 }
            modelParams: 8e9
            checkpoint: { intervalMinutes: 30, sizeGB: 100 }
            """, Ct);
        var submitted = await Twin("job", "submit", "-f", yaml);
        Assert.Equal(0, submitted.Code);
        Assert.Contains("submitted: cli-yaml-job, 64 GPUs on east", submitted.Out);

        var json = Path.Combine(dir, "job.json");
        await File.WriteAllTextAsync(json, """{"name":"cli-json-job","gpus":16,"sites":["west"],"parallelism":{"tp":8,"pp":1,"dp":2}}""", Ct);
        var viaJson = await Twin("job", "submit", "-f", json, "-o", "json");
        Assert.Equal(0, viaJson.Code);
        var job = JsonNode.Parse(viaJson.Out)!;
        Assert.Equal(("cli-json-job", 16), ((string)job["name"]!, (int)job["gpus"]!));

        var jobs = await Twin("get", "jobs", "-o", "json");
        Assert.Contains(Array(jobs), j => (string)j!["id"]! == (string)job["id"]!);
        var table = await Twin("get", "jobs");
        Assert.Contains("cli-yaml-job", table.Out);
        Assert.Contains("GOODPUT", table.Out);
        var wide = await Twin("get", "jobs", "-o", "wide");
        Assert.Contains("INTERRUPTIONS", wide.Out);

        var bad = Path.Combine(dir, "bad.yaml");
        await File.WriteAllTextAsync(bad, "name: cli-bad\ngpus: 64\nparallelism: { tp: 8, pp: 1, dp: 4 }\n", Ct);
        var refused = await Twin("job", "submit", "-f", bad);
        Assert.Equal(ExitCodes.Failure, refused.Code);
        Assert.Contains("(field: parallelism)", refused.Error);

        var broken = Path.Combine(dir, "broken.yaml");
        await File.WriteAllTextAsync(broken, "name: [unclosed\n", Ct);
        Assert.Equal(ExitCodes.Usage, (await Twin("job", "submit", "-f", broken)).Code);
        Assert.Equal(ExitCodes.Usage, (await Twin("job", "submit", "-f", Path.Combine(dir, "missing.yaml"))).Code);
    }

    [Fact]
    public async Task ScenarioRunRemote_RunsOnTheTwin_PrintsAndSavesTheReport()
    {
        var dir = Directory.CreateTempSubdirectory("twin-remote-run-").FullName;
        var run = await Twin("scenario", "run", "--remote", "dci-cut", "--seed", "7", "--report", dir);
        Assert.Equal(0, run.Code);
        Assert.Contains("passed", run.Out);
        Assert.Contains("EXPECTATION", run.Out);
        Assert.Contains("run r-", run.Error);
        var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "report.json"), Ct))!;
        Assert.Equal(1, (int)report["interruptions"]!);
        Assert.Contains("<svg", await File.ReadAllTextAsync(Path.Combine(dir, "report.html"), Ct));

        var unknown = await Twin("scenario", "run", "--remote", "meteor-strike");
        Assert.Equal(ExitCodes.Failure, unknown.Code);
        Assert.StartsWith("404", unknown.Error);
    }

    [Theory]
    [InlineData("scenario", "run")]
    [InlineData("scenario", "run", "some.yaml", "--remote", "dci-cut")]
    [InlineData("get", "devices", "--health", "sick")]
    [InlineData("get", "planets")]
    [InlineData("fault", "inject", "gpu-xid")]
    [InlineData("job", "submit")]
    [InlineData("events", "--url", "not a url")]
    public async Task AWrongCommandLine_ExitsTwo_WithoutCallingTheTwin(params string[] args)
    {
        var result = await Cli.Run(args);
        Assert.Equal(ExitCodes.Usage, result.Code);
        Assert.NotEmpty(result.Error);
    }

    [Fact]
    public async Task AnUnreachableTwin_ExitsOne_SayingWhere()
    {
        var result = await Cli.Run("get", "sites", "--url", "http://127.0.0.1:9/");
        Assert.Equal(ExitCodes.Failure, result.Code);
        Assert.StartsWith("cannot reach the twin at http://127.0.0.1:9/", result.Error);
    }

    [Theory]
    [InlineData("get", "sites")]
    [InlineData("get", "devices")]
    [InlineData("get", "faults")]
    [InlineData("get", "jobs")]
    [InlineData("describe", "device")]
    [InlineData("events")]
    [InlineData("fault", "inject")]
    [InlineData("fault", "repair")]
    [InlineData("job", "submit")]
    [InlineData("scenario", "run")]
    public async Task EveryVerb_HasHelpWithExamples(params string[] verb)
    {
        var result = await Cli.Run([.. verb, "--help"]);
        Assert.Equal(0, result.Code);
        Assert.Contains("Usage:", result.Out);
        Assert.Contains("Examples:\n  twin " + string.Join(' ', verb), result.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task TheSuggestDirective_CompletesVerbsAndValues()
    {
        var verbs = await Cli.Run("[suggest:6]", "get de");
        Assert.Equal(["devices"], verbs.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var kinds = await Cli.Run("[suggest:22]", "get devices --kind sto");
        Assert.Contains("storage", kinds.Out);
    }
}
