using Twin.Model.Outcomes;
using Twin.Contracts.Devices;
using Twin.Contracts.Events;
using Twin.Contracts.Faults;
using Twin.Contracts.Sites;
using Twin.Contracts.Streams;
using Twin.Model.Devices;
using Twin.Model.Fabric;

namespace Twin.Grains.Tests;

/// <summary>Every fault kind: the target's state, what depends on it, the coordinator's figures, and repair.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FaultTests(ClusterFixture fixture)
{
    private IFaultRegistryGrain Registry => fixture.Grains.GetGrain<IFaultRegistryGrain>(TwinStreams.FactoryKey);

    private ISiteCoordinatorGrain Site(string name) => fixture.Grains.GetGrain<ISiteCoordinatorGrain>(name);

    private async Task<DeviceView> View(string id) =>
        await fixture.Grains.Get(ClusterFixture.Topology.Find(id)!.Kind, id).GetView();

    private async Task<FaultView> Inject(string kind, string target, Dictionary<string, string>? parameters = null, TimeSpan? duration = null)
    {
        var outcome = await Registry.Inject(new InjectFault(kind, target, parameters, Duration: duration));
        Assert.True(outcome.Succeeded, $"{kind} on {target}: {outcome.Refused} {outcome.Field} {outcome.Error}");
        return outcome.Fault!;
    }

    private Task<SiteSummary> SiteUntil(string site, Func<SiteSummary, bool> done) =>
        Eventually.Until(() => Site(site).GetSummary().AsTask(), done);

    private async Task RepairAndExpect(FaultView fault, string site, SiteSummary before)
    {
        var repaired = await Registry.Repair(fault.Id);
        Assert.Null(repaired.Refused);
        Assert.False(repaired.Fault!.Active);
        // the site's fault count also moves with telemetry-raised faults of other tests (recorded one-way), so
        // this fault's own state is checked in the registry and the device counts on the coordinator
        Assert.DoesNotContain(await Registry.List(true, site, null), f => f.Id == fault.Id);
        var after = await SiteUntil(site, s =>
            s.Gpus.Healthy == before.Gpus.Healthy && s.Links.Healthy == before.Links.Healthy &&
            s.Switches.Healthy == before.Switches.Healthy && s.StorageNodes.Healthy == before.StorageNodes.Healthy &&
            s.Dpus.Healthy == before.Dpus.Healthy);
        Assert.Equal(before.UsableGpus, after.UsableGpus);
        Assert.Equal(before.BisectionAvailableTbps, after.BisectionAvailableTbps, 6);
        Assert.Equal(before.StorageReadAvailableGBps, after.StorageReadAvailableGBps, 6);
        foreach (var id in fault.Affected)
        {
            Assert.DoesNotContain(fault.Id, (await View(id)).ActiveFaults);
        }
    }

    [Theory]
    [InlineData("gpu-xid", "79", DeviceHealth.Failed)]
    [InlineData("gpu-xid", "48", DeviceHealth.Failed)]
    [InlineData("gpu-xid", "74", DeviceHealth.Degraded)]
    [InlineData("gpu-xid", "94", DeviceHealth.Degraded)]
    [InlineData("gpu-thermal", null, DeviceHealth.Degraded)]
    [InlineData("hbm-error", null, DeviceHealth.Failed)]
    [InlineData("nvlink-down", null, DeviceHealth.Degraded)]
    public async Task GpuFaults_SetTheGpusHealth_AndUsableGpusFollow_UntilRepaired(string kind, string? xid, DeviceHealth expected)
    {
        var gpu = $"east/gpu/h0002-{(kind.Length + (xid?.Length ?? 0)) % 8}";
        var before = await SettledSite.Summary(fixture.Grains, "east");
        var fault = await Inject(kind, gpu, xid is null ? null : new() { ["xid"] = xid });

        var view = await View(gpu);
        Assert.Equal(expected, view.Health);
        Assert.Contains(fault.Id, view.ActiveFaults);
        Assert.Contains(await Registry.List(true, "east", kind), f => f.Id == fault.Id);
        var during = await SiteUntil("east", s => s.ActiveFaults >= 1 &&
            (expected == DeviceHealth.Failed ? s.Gpus.Failed == before.Gpus.Failed + 1 : s.Gpus.Degraded == before.Gpus.Degraded + 1));
        Assert.Equal(expected == DeviceHealth.Failed ? before.UsableGpus - 1 : before.UsableGpus, during.UsableGpus);
        if (kind == "gpu-thermal")
        {
            Assert.Equal(90, view.Metrics["temperature_c"]);
        }

        await RepairAndExpect(fault, "east", before);
        Assert.Equal(DeviceHealth.Healthy, (await View(gpu)).Health);
    }

    [Fact]
    public async Task OpticDegrade_LinkDown_LinkFlap_SetLinkHealthAndState()
    {
        var before = await SettledSite.Summary(fixture.Grains, "east");
        var degrade = await Inject("optic-degrade", "east/link/h0000-0:leaf-00", new() { ["rxPowerDbm"] = "-10.5" });
        var degradedView = await View("east/link/h0000-0:leaf-00");
        Assert.Equal(DeviceHealth.Degraded, degradedView.Health);
        Assert.Equal(-10.5, degradedView.Metrics["rx_power_dbm"]);

        var down = await Inject("link-down", "east/link/h0000-1:leaf-01");
        var downView = await View("east/link/h0000-1:leaf-01");
        Assert.Equal(((LinkState?)LinkState.Down, DeviceHealth.Failed), (downView.State, downView.Health));

        var flap = await Inject("link-flap", "east/link/leaf-00:spine-00");
        Assert.Equal(LinkState.Flapping, (await View("east/link/leaf-00:spine-00")).State);

        var during = await SiteUntil("east", s => s.Links.Degraded == before.Links.Degraded + 2 && s.Links.Failed == before.Links.Failed + 1);
        Assert.Equal(before.UsableGpus - 1, during.UsableGpus); // h0000-1 lost its NIC link
        Assert.Equal(before.Fabric.Single(f => f.Tier == "gpu-leaf").LinksUp - 1, during.Fabric.Single(f => f.Tier == "gpu-leaf").LinksUp);

        foreach (var f in new[] { degrade, down, flap })
        {
            Assert.Null((await Registry.Repair(f.Id)).Refused);
        }
        await SiteUntil("east", s => s.Links.Healthy == before.Links.Healthy && s.UsableGpus == before.UsableGpus);
        Assert.Equal(LinkState.Up, (await View("east/link/h0000-1:leaf-01")).State);
    }

    [Fact]
    public async Task SwitchDown_TakesItsLinksDown_AndTheGpusBehindItLoseScaleOut()
    {
        // leaf-05 is rail 5's leaf: GPU 5 of hosts 0-3 (4 NIC links) and 8 uplinks to the 4 spines
        var before = await SettledSite.Summary(fixture.Grains, "east");
        var fault = await Inject("switch-down", "east/switch/leaf-05");
        Assert.Equal(1 + 4 + 8, fault.AffectedDevices);
        Assert.Equal(DeviceHealth.Failed, (await View("east/switch/leaf-05")).Health);
        Assert.Equal(LinkState.Down, (await View("east/link/h0003-5:leaf-05")).State);

        var during = await SiteUntil("east", s => s.Links.Failed == before.Links.Failed + 12 && s.Switches.Failed == before.Switches.Failed + 1);
        Assert.Equal(before.UsableGpus - 4, during.UsableGpus);
        var spine = during.Fabric.Single(f => f.Tier == "leaf-spine");
        Assert.Equal(before.Fabric.Single(f => f.Tier == "leaf-spine").LinksUp - 8, spine.LinksUp);
        // bisection = half the top tier's bandwidth: 8 links of 400G lost → 1.6 Tbps less
        Assert.Equal(before.BisectionAvailableTbps - 8 * 0.4 / 2, during.BisectionAvailableTbps, 6);

        await RepairAndExpect(fault, "east", before);
    }

    [Fact]
    public async Task SwitchPortDown_DegradesTheSwitch_AndDownsOneLink()
    {
        var before = await SettledSite.Summary(fixture.Grains, "east");
        var fault = await Inject("switch-port-down", "east/switch/spine-02", new() { ["link"] = "east/link/leaf-03:spine-02" });
        Assert.Equal(DeviceHealth.Degraded, (await View("east/switch/spine-02")).Health);
        Assert.Equal(DeviceHealth.Failed, (await View("east/link/leaf-03:spine-02")).Health);
        await SiteUntil("east", s => s.Switches.Degraded == before.Switches.Degraded + 1 && s.Links.Failed == before.Links.Failed + 1);
        await RepairAndExpect(fault, "east", before);
    }

    [Fact]
    public async Task HostPowerLoss_FailsItsGpusNicLinksAndDpu()
    {
        var before = await SettledSite.Summary(fixture.Grains, "east");
        var fault = await Inject("host-power-loss", "east/host/h0001");
        Assert.Equal(8 + 8 + 1, fault.AffectedDevices);
        Assert.Equal(DeviceHealth.Failed, (await View("east/dpu/h0001")).Health);
        var during = await SiteUntil("east", s => s.Gpus.Failed == before.Gpus.Failed + 8 && s.Dpus.Failed == before.Dpus.Failed + 1);
        Assert.Equal(before.UsableGpus - 8, during.UsableGpus);
        Assert.Equal(before.Links.Failed + 8, during.Links.Failed);
        await RepairAndExpect(fault, "east", before);
    }

    [Fact]
    public async Task HostPowerLoss_AcceptsAGpuOfTheHostAsTarget()
    {
        var fault = await Inject("host-power-loss", "west/gpu/h0000-3");
        Assert.Contains("west/dpu/h0000", fault.Affected);
        Assert.Null((await Registry.Repair(fault.Id)).Refused);
    }

    [Fact]
    public async Task StorageDown_AndSlow_ReduceStorageBandwidth()
    {
        // two hot nodes of 40 GB/s: down removes 40, slow halves the other
        var before = await SettledSite.Summary(fixture.Grains, "east");
        var down = await Inject("storage-down", "east/storage/s00");
        var slow = await Inject("storage-slow", "east/storage/s01");
        Assert.Equal(120, (await View("east/storage/s01")).Metrics["latency_p99_ms"]);
        var during = await SiteUntil("east", s => s.StorageNodes.Failed == before.StorageNodes.Failed + 1 && s.StorageNodes.Degraded == before.StorageNodes.Degraded + 1);
        Assert.Equal(before.StorageReadAvailableGBps - 40 - 20, during.StorageReadAvailableGBps, 6);
        await Registry.Repair(down.Id);
        await RepairAndExpect(slow, "east", before);
    }

    [Fact]
    public async Task DpuFailure_FailsTheDpu()
    {
        var before = await SettledSite.Summary(fixture.Grains, "east");
        var fault = await Inject("dpu-failure", "east/dpu/h0003");
        await SiteUntil("east", s => s.Dpus.Failed == before.Dpus.Failed + 1);
        await RepairAndExpect(fault, "east", before);
    }

    [Fact]
    public async Task DciCut_OfAPair_PartitionsTheSites_AndDciDegrade_HalvesALink()
    {
        var factory = fixture.Grains.GetGrain<IFactoryGrain>(TwinStreams.FactoryKey);
        var cut = await Inject("dci-cut", "dci/east-west");
        Assert.Equal(2, cut.AffectedDevices);
        var partitioned = await Eventually.Until(() => factory.GetSummary().AsTask(), f => f.PartitionedSitePairs.Contains("east-west"));
        Assert.Equal(0, partitioned.CrossSiteAvailableGbps);
        Assert.Null((await Registry.Repair(cut.Id)).Refused);
        await Eventually.Until(() => factory.GetSummary().AsTask(), f => f.PartitionedSitePairs.Count == 0 && f.CrossSiteAvailableGbps == 1600);

        var degrade = await Inject("dci-degrade", "dci/east-west-2", new() { ["lossPct"] = "1.5" });
        Assert.Equal(1.5, (await View("dci/east-west-2")).Metrics["loss_pct"]);
        var degraded = await Eventually.Until(() => factory.GetSummary().AsTask(), f => f.CrossSiteAvailableGbps == 1200);
        Assert.Equal(DeviceHealth.Degraded, degraded.DciLinks.Single(l => l.Id == "dci/east-west-2").Health);
        await Registry.Repair(degrade.Id);
        await Eventually.Until(() => factory.GetSummary().AsTask(), f => f.CrossSiteAvailableGbps == 1600);
    }

    [Fact]
    public async Task SitePowerLoss_FailsEveryDeviceOfTheSite_CountsExact_AndIsSummarisedInOneEvent()
    {
        var topology = ClusterFixture.Topology;
        var before = await SettledSite.Summary(fixture.Grains, "west");
        var log = fixture.Grains.GetGrain<IEventLogGrain>(TwinStreams.FactoryKey);
        var lastBefore = (await log.Read(long.MaxValue - 1, 0, EventFilter.All)).Last;

        var fault = await Inject("site-power-loss", "west");
        var total = topology.Devices.Count(d => d.Site == "west");
        Assert.Equal(total, fault.AffectedDevices);

        var down = await SiteUntil("west", s => s.Gpus.Failed == s.Gpus.Total);
        Assert.Equal(topology.Count("west", DeviceKind.Gpu), down.Gpus.Failed);
        Assert.Equal(topology.Count("west", DeviceKind.Link), down.Links.Failed);
        Assert.Equal(topology.Count("west", DeviceKind.Switch), down.Switches.Failed);
        Assert.Equal(topology.Count("west", DeviceKind.Dpu), down.Dpus.Failed);
        Assert.Equal(0, down.UsableGpus);
        Assert.Equal(0, down.BisectionAvailableTbps);

        var events = await log.Read(lastBefore, 10_000, new EventFilter(Site: "west"));
        Assert.Single(events.Items, e => e.Kind == "bulk-change");
        Assert.Single(events.Items, e => e.Kind == "fault-injected");
        Assert.DoesNotContain(events.Items, e => e.Kind == "health-changed"); // summarised, not one per device

        await RepairAndExpect(fault, "west", before);
    }

    [Fact]
    public async Task BadRequests_NameTheField_AndRepairIsIdempotentlyRefused()
    {
        var unknown = await Registry.Inject(new InjectFault("gpu-xid", "east/gpu/h9999-0", new Dictionary<string, string> { ["xid"] = "79" }));
        Assert.Equal(((Refusal?)Refusal.NotFound, "target"), (unknown.Refused, unknown.Field));

        var wrongKind = await Registry.Inject(new InjectFault("switch-down", "east/gpu/h0000-0"));
        Assert.Equal(((Refusal?)Refusal.Invalid, "target"), (wrongKind.Refused, wrongKind.Field));

        var noXid = await Registry.Inject(new InjectFault("gpu-xid", "east/gpu/h0000-0"));
        Assert.Equal(((Refusal?)Refusal.Invalid, "parameters.xid"), (noXid.Refused, noXid.Field));

        var badNumber = await Registry.Inject(new InjectFault("gpu-thermal", "east/gpu/h0000-0", new Dictionary<string, string> { ["temperatureC"] = "hot" }));
        Assert.Equal(((Refusal?)Refusal.Invalid, "parameters.temperatureC"), (badNumber.Refused, badNumber.Field));

        var noKind = await Registry.Inject(new InjectFault("meteor-strike", "east"));
        Assert.Equal(((Refusal?)Refusal.Invalid, "kind"), (noKind.Refused, noKind.Field));

        Assert.Equal(Refusal.NotFound, (await Registry.Repair("f-999999")).Refused);
        var fault = await Inject("dpu-failure", "west/dpu/h0001");
        Assert.Null((await Registry.Repair(fault.Id)).Refused);
        Assert.Equal(Refusal.Conflict, (await Registry.Repair(fault.Id)).Refused);
    }

    [Fact]
    public async Task FaultWithDuration_RepairsItself_AtAtPlusDuration()
    {
        var fault = await Inject("storage-slow", "east/storage/s01", duration: TimeSpan.FromMilliseconds(50));
        var repaired = await Eventually.Until(() => Registry.Get(fault.Id).AsTask(), f => f is { Active: false });
        Assert.Equal(fault.At + TimeSpan.FromMilliseconds(50), repaired!.RepairedAt);
        // and the coordinator has heard, so later tests start from a healthy node
        await Eventually.Until(() => Site("east").GetUnhealthy().AsTask(), u => !u.ContainsKey("east/storage/s01"));
    }

    [Fact]
    public async Task TelemetryRaisedFault_IsListed_AndClearsWhenTheDeviceRecovers()
    {
        const string id = "west/gpu/h0001-2";
        var gpu = fixture.Grains.GetGrain<IGpuGrain>(id);
        var t0 = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        await gpu.ApplyTelemetry(new Twin.Contracts.Telemetry.DeviceTelemetry(id, t0, [new(Twin.Model.Telemetry.Metric.Xid, 79)]));
        var raised = await Eventually.Until(() => Registry.List(true, "west", null).AsTask(), l => l.Any(f => f.Target == id));
        var fault = raised.Single(f => f.Target == id);
        Assert.Equal(("telemetry", "gpu-xid"), (fault.Source, fault.Kind));
        Assert.Equal(Refusal.Conflict, (await Registry.Repair(fault.Id)).Refused); // it clears on the device's own readings

        await gpu.ApplyTelemetry(new Twin.Contracts.Telemetry.DeviceTelemetry(id, t0.AddMinutes(3), [new(Twin.Model.Telemetry.Metric.Xid, 0)]));
        var cleared = await Eventually.Until(() => Registry.Get(fault.Id).AsTask(), f => f is { Active: false });
        Assert.Equal(t0.AddMinutes(3), cleared!.RepairedAt);
    }
}
