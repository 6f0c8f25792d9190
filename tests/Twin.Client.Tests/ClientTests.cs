using System.Net;
using Twin.Client.Views;
using Twin.Model.Devices;
using Twin.Model.Topology;

namespace Twin.Client.Tests;

/// <summary>Twin.Client against a real twin: every resource, paging, the live feed and problems as exceptions.</summary>
[Collection(OpenTwinCollection.Name)]
public sealed class ClientTests(OpenTwinFixture twin)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListDevices_FollowsTheCursor_AcrossEveryPage_AndCountsTheTopology()
    {
        using var client = twin.Client();
        var ids = new List<string>();
        await foreach (var d in client.ListDevicesAsync(pageSize: 97, cancellationToken: Ct))
        {
            ids.Add(d.Id);
        }
        // the demo factory: 1,152 GPUs plus switches, links, storage, DPUs and DCI links, in 97-device pages
        Assert.Equal(twin.Topology.Devices.Count, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.True(ids.Count > 97 * 10);

        var gpusEast = 0;
        await foreach (var d in client.ListDevicesAsync(site: "east", kind: "gpu", pageSize: 50, cancellationToken: Ct))
        {
            Assert.Equal(("east", DeviceKind.Gpu), (d.Site, d.Kind));
            gpusEast++;
        }
        Assert.Equal(64 * 8, gpusEast);
    }

    [Fact]
    public async Task FactorySitesAndDevices_ReadTheSameShapesTheContractsDefine()
    {
        using var client = twin.Client();
        var health = await client.GetHealthAsync(Ct);
        Assert.Equal(("ok", twin.Topology.Devices.Count), (health.Status, health.Devices));

        var factory = await client.GetFactoryAsync(Ct);
        Assert.Equal(twin.Topology.Devices.Count, factory.Devices);
        var sites = await client.GetSitesAsync(Ct);
        Assert.Equal(twin.Topology.SiteNames.Order(), sites.Select(s => s.Name).Order());
        var east = await client.GetSiteAsync("east", Ct);
        Assert.Equal(64 * 8, east.Gpus.Total);

        var device = await client.GetDeviceAsync("east/gpu/h0005-2", Ct);
        Assert.Equal(("east/gpu/h0005-2", DeviceKind.Gpu, "east"), (device.Id, device.Kind, device.Site));
        var telemetry = await client.PostTelemetryAsync(new TelemetryBatch(
            [new TelemetrySample("east/gpu/h0005-2", null, new Dictionary<string, double> { ["temperature_c"] = 61 })]), Ct);
        Assert.Equal((1, 0), (telemetry.Accepted, telemetry.Rejected));
        var history = await client.GetDeviceHistoryAsync("east/gpu/h0005-2", "temperature_c", cancellationToken: Ct);
        Assert.Equal(61, Assert.Single(history.Series["temperature_c"]).Value);
    }

    [Fact]
    public async Task AProblem_BecomesATwinApiException_WithStatusTitleAndField()
    {
        using var client = twin.Client();
        var badKind = await Assert.ThrowsAsync<TwinApiException>(() => client.GetDevicePageAsync(kind: "toaster", cancellationToken: Ct));
        Assert.Equal((HttpStatusCode.BadRequest, "kind", "Invalid kind"), (badKind.Status, badKind.Field, badKind.Title));
        Assert.Contains("toaster", badKind.Detail);

        var badLimit = await Assert.ThrowsAsync<TwinApiException>(() => client.GetDevicePageAsync(limit: 0, cancellationToken: Ct));
        Assert.Equal("limit", badLimit.Field);

        var badParameter = await Assert.ThrowsAsync<TwinApiException>(() => client.InjectFaultAsync(new FaultRequest("gpu-xid", "east/gpu/h0000-0"), Ct));
        Assert.Equal((HttpStatusCode.BadRequest, "parameters.xid"), (badParameter.Status, badParameter.Field));

        var unknown = await Assert.ThrowsAsync<TwinApiException>(() => client.GetDeviceAsync("east/gpu/h9999-9", Ct));
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.False(unknown.IsAuthFailure);
    }

    [Fact]
    public async Task Faults_InjectListRepair_AndTheLiveFeedDeliversTheInjection()
    {
        using var client = twin.Client();
        var last = (await client.GetEventPageAsync(long.MaxValue - 1, limit: 1, cancellationToken: Ct)).Last;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        // resuming from 'last' means the feed carries the injection whenever the stream connects
        var feed = client.StreamEventsAsync(last, kind: "fault-injected", cancellationToken: timeout.Token).GetAsyncEnumerator(timeout.Token);
        var first = feed.MoveNextAsync().AsTask();

        var fault = await client.InjectFaultAsync(new FaultRequest("gpu-xid", "east/gpu/h0010-3", new Dictionary<string, string> { ["xid"] = "79" }), Ct);
        Assert.True(await first);
        Assert.Equal((fault.Id, "fault-injected"), (feed.Current.FaultId, feed.Current.Kind));
        Assert.True(feed.Current.Sequence > last);
        await feed.DisposeAsync();

        Assert.Contains(await client.ListFaultsAsync(active: true, cancellationToken: Ct), f => f.Id == fault.Id);
        Assert.Equal(DeviceHealth.Failed, (await client.GetDeviceAsync("east/gpu/h0010-3", Ct)).Health);
        var history = new List<Contracts.Events.TwinEvent>();
        await foreach (var e in client.ListEventsAsync(last, kind: "fault-injected", pageSize: 1, cancellationToken: Ct))
        {
            history.Add(e);
        }
        Assert.Contains(history, e => e.FaultId == fault.Id);

        var repaired = await client.RepairFaultAsync(fault.Id, Ct);
        Assert.False(repaired.Active);
        Assert.Equal(fault.Id, (await client.GetFaultAsync(fault.Id, Ct)).Id);
    }

    [Fact]
    public async Task Jobs_Plans_AndScenarioRuns_RoundTrip()
    {
        using var client = twin.Client();
        var job = await client.SubmitJobAsync(new JobRequest("client-job", Gpus: 64, Sites: ["east"], Parallelism: new JobParallelism(8, 1, 8)), Ct);
        Assert.Equal(("client-job", 64, 64), (job.Name, job.Gpus, job.Placement.Count));
        Assert.Contains(await client.ListJobsAsync(Ct), j => j.Id == job.Id);
        Assert.Equal("cancelled", (await client.CancelJobAsync(job.Id, Ct)).State);

        // 1,024 GPUs at 400G on radix-64 switches: 2 tiers, 32 leaves and 16 spines (k/2 uplinks per leaf)
        var plan = await client.PlanFabricAsync(new FabricPlanInput(1024, NicGbps: 400, SwitchRadix: 64, PortGbps: 400), Ct);
        Assert.Equal(2, plan.Tiers);
        Assert.Equal([32L, 16L], plan.SwitchesPerTier);
        var compare = await client.CompareFabricAsync(new FabricPlanInput(1024, NicGbps: 400, SwitchRadix: 64, PortGbps: 400), Ct);
        Assert.Equal(0, compare.Dsp.FabricPowerSavingPct);
        Assert.True(compare.Lpo.FabricPowerSavingPct > 0);
        var topology = await client.PlanTopologyAsync(new FabricPlanInput(1024, NicGbps: 400, SiliconTbps: 51.2, PortGbps: 400, Optics: ["dac", "lpo"], LinkLengthsM: [3, 50], Site: "south"), Ct);
        Assert.Equal(1024, TopologyGenerator.Generate(TopologyLoader.Parse(topology, "plan")).Devices.Count(d => d.Kind == DeviceKind.Gpu && d.Site == "south"));

        Assert.Contains(await client.ListScenariosAsync(Ct), s => s.Name == "dci-cut");
        var run = await client.StartScenarioRunAsync("dci-cut", new ScenarioRunRequest(Seed: 7), Ct);
        while (run.State == "running")
        {
            await Task.Delay(20, Ct);
            run = await client.GetScenarioRunAsync(run.Id, Ct);
        }
        Assert.Equal("passed", run.State);
        var report = await client.GetScenarioReportAsync(run.Id, Ct);
        Assert.True(report.Passed);
        Assert.Equal(1, report.Interruptions);
        Assert.Contains("<svg", await client.GetScenarioReportHtmlAsync(run.Id, Ct));
    }
}
