using System.Text.Json.Nodes;
using Twin.Client.Views;
using Twin.Silo.Cli.Remote;

namespace Twin.Client.Tests;

/// <summary>Inference services, forecasts and rewind through the client, and <c>twin forecast</c>.</summary>
[Collection(OpenTwinCollection.Name)]
public sealed class WhatIfTests(OpenTwinFixture twin)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task InferenceServices_AreDeployedReadAndStopped_AndBadOnesAreTypedProblems()
    {
        using var client = twin.Client();
        var service = await client.DeployInferenceAsync(new InferenceRequest("chat", "west", Replicas: 2, RequestsPerSecond: 10), Ct);
        Assert.Equal(("serving", 2), (service.State, service.HealthyReplicas));
        Assert.Contains(await client.ListInferenceAsync(Ct), s => s.Id == service.Id);
        Assert.Equal(service.Id, (await client.GetInferenceAsync(service.Id, Ct)).Id);
        var table = await Cli.Run([.. new[] { "get", "inference" }, .. twin.Remote()]);
        Assert.Equal(0, table.Code);
        Assert.Contains(service.Id, table.Out);
        Assert.Contains("2/2", table.Out);
        var json = await Cli.Run([.. new[] { "get", "inference", "-o", "json" }, .. twin.Remote()]);
        Assert.Contains(JsonNode.Parse(json.Out)!.AsArray(), s => (string?)s!["id"] == service.Id);
        Assert.Equal("stopped", (await client.StopInferenceAsync(service.Id, Ct)).State);

        var bad = await Assert.ThrowsAsync<TwinApiException>(() => client.DeployInferenceAsync(
            new InferenceRequest("x", "west", KvCache: new InferenceKvCache(2, null, null)), Ct));
        Assert.Equal((400, "kvCache.hbmHitRatio"), ((int)bad.Status, bad.Field));
    }

    [Fact]
    public async Task TheFactoryAndADevice_CanBeReadAtAPastMoment()
    {
        using var client = twin.Client();
        var factory = await client.GetFactoryAtAsync("-1m", Ct);
        Assert.Equal(twin.Topology.SiteNames.Count(), factory.Sites.Count);
        Assert.Equal("exact", factory.Exactness.Faults);
        var device = await client.GetDeviceAtAsync("east/gpu/h0000-0", "-30s", Ct);
        Assert.Equal("east", device.Site);
        var bad = await Assert.ThrowsAsync<TwinApiException>(() => client.GetSiteAtAsync("east", "tomorrow", Ct));
        Assert.Equal((400, "at"), ((int)bad.Status, bad.Field));
    }

    [Fact]
    public async Task ForecastVerb_PrintsTheDifference_AndWritesTheReport()
    {
        using var client = twin.Client();
        var job = await client.SubmitJobAsync(new JobRequest("whatif", Gpus: 64, Sites: ["east"], Parallelism: new JobParallelism(8, 1, 8)), Ct);
        var report = Path.Combine(Directory.CreateTempSubdirectory("twin-forecast-").FullName, "f.json");

        var result = await Cli.Run([.. new[] { "forecast", "--fault", $"gpu-xid:{job.Placement[0]}@45m,xid=79", "--horizon", "2h", "--no-failures", "--report", report }, .. twin.Remote()]);
        Assert.True(result.Code == 0, result.Error);
        Assert.Contains(job.Id, result.Out);
        Assert.Contains("FEWEST USABLE GPUS", result.Out.ToUpperInvariant());
        var written = JsonNode.Parse(await File.ReadAllTextAsync(report, Ct))!;
        var diff = written["diff"]!["jobs"]!.AsArray().Single(j => (string?)j!["job"] == job.Id)!;
        Assert.Equal(1, (int)diff["interruptionsDelta"]!);
        Assert.True((double)diff["goodputDelta"]! < 0);

        var json = await Cli.Run([.. new[] { "forecast", "--horizon", "1h", "--no-failures", "-o", "json", "--report", report }, .. twin.Remote()]);
        Assert.Equal(0, json.Code);
        Assert.Equal(0, (double)JsonNode.Parse(json.Out)!["goodputDelta"]!);

        var usage = await Cli.Run([.. new[] { "forecast", "--fault", "switch-down" }, .. twin.Remote()]);
        Assert.Equal(ExitCodes.Usage, usage.Code);
        await client.CancelJobAsync(job.Id, Ct);
    }

    [Fact]
    public void FaultArguments_Parse()
    {
        Assert.Equal(new ForecastFault("switch-down", "east/switch/spine-03"), ForecastCommand.Parse("switch-down:east/switch/spine-03"));
        var xid = ForecastCommand.Parse("gpu-xid:east/gpu/h0001-2@45m,xid=79")!;
        Assert.Equal(("gpu-xid", "east/gpu/h0001-2", "45m", "79"), (xid.Kind, xid.Target, xid.At, xid.Parameters!["xid"]));
        var cut = ForecastCommand.Parse("dci-cut:dci/east-west@1h,for=30m")!;
        Assert.Equal(("1h", "30m"), (cut.At, cut.Duration));
        Assert.Null(cut.Parameters);
        Assert.Null(ForecastCommand.Parse("switch-down"));
        Assert.Null(ForecastCommand.Parse("gpu-xid:east/gpu/h0001-2,xid"));
    }
}
