using Twin.Contracts.Devices;
using Twin.Grains.Sites;
using Twin.Model.Devices;
using Twin.Model.Fabric;
using Twin.Model.Topology;

namespace Twin.Grains.Tests;

/// <summary>The site ledger on its own: counts and usable GPUs after device changes, by the one usability rule.</summary>
public sealed class SiteLedgerTests
{
    private static readonly FactoryTopology Demo = TopologyGenerator.Load(Twin.Tests.Shared.RepoPaths.File("scenarios/topologies/demo.yaml"));
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static DeviceChanged Change(string id, DeviceHealth health, LinkState? state = null, DeviceHealth previous = DeviceHealth.Healthy)
    {
        var d = Demo.Find(id)!;
        return new DeviceChanged(id, d.Kind, d.Site, previous, health, "test", state, T0);
    }

    private static string Gpu(string host, int index) => $"east/gpu/{host}-{index}";

    [Fact]
    public void A_FailedLeaf_TakesTheGpusBehindIt_OutOfUse_AndTheirJobsHearOfIt()
    {
        var ledger = new SiteLedger(Demo, "east");
        var total = ledger.Summary().UsableGpus;
        Assert.Equal(Demo.Count("east", DeviceKind.Gpu), total);
        Demo.Paths.TryGetPath(Gpu("h0000", 5), out _, out var leaf);
        var behind = Demo.Paths.GpusBehind(leaf);
        ledger.AssignJob("j-1", [Gpu("h0000", 5), Gpu("h0000", 4)]);

        Assert.True(ledger.Apply(Change(leaf, DeviceHealth.Failed)));
        Assert.Equal(total - behind.Count, ledger.Summary().UsableGpus);
        Assert.Equal([(Gpu("h0000", 5), "j-1")], ledger.TakeLostJobGpus());
        Assert.Equal(1, ledger.Summary().JobsAffected);

        ledger.Apply(Change(leaf, DeviceHealth.Healthy, previous: DeviceHealth.Failed));
        Assert.Equal(total, ledger.Summary().UsableGpus);
        Assert.Equal([(Gpu("h0000", 5), "j-1")], ledger.TakeRestoredJobGpus());
    }

    [Fact]
    public void A_FlappingNicLink_CutsItsGpuOff_ThoughOnlyDegraded()
    {
        var ledger = new SiteLedger(Demo, "east");
        var total = ledger.Summary().UsableGpus;
        Demo.Paths.TryGetPath(Gpu("h0001", 2), out var nic, out _);

        ledger.Apply(Change(nic, DeviceHealth.Degraded, LinkState.Flapping));
        var flapping = ledger.Summary();
        Assert.Equal(total - 1, flapping.UsableGpus);
        Assert.Equal(1, flapping.Links.Degraded);
        // the link still carries traffic: the tier's capacity counts it up
        var tier = flapping.Fabric.Single(f => f.Tier == LinkTier.GpuLeaf.Name());
        Assert.Equal(tier.Links, tier.LinksUp);

        ledger.Apply(Change(nic, DeviceHealth.Healthy, LinkState.Up, DeviceHealth.Degraded));
        Assert.Equal(total, ledger.Summary().UsableGpus);
    }

    [Fact]
    public void A_GpuAndItsLink_BothDown_CountOnce_AndComeBackOnlyWhenBothAre()
    {
        var ledger = new SiteLedger(Demo, "east");
        var total = ledger.Summary().UsableGpus;
        var gpu = Gpu("h0002", 0);
        Demo.Paths.TryGetPath(gpu, out var nic, out _);

        ledger.Apply(Change(gpu, DeviceHealth.Failed));
        ledger.Apply(Change(nic, DeviceHealth.Failed, LinkState.Down));
        Assert.Equal(total - 1, ledger.Summary().UsableGpus);
        ledger.Apply(Change(gpu, DeviceHealth.Healthy, previous: DeviceHealth.Failed));
        Assert.Equal(total - 1, ledger.Summary().UsableGpus);
        ledger.Apply(Change(nic, DeviceHealth.Healthy, LinkState.Up, DeviceHealth.Failed));
        Assert.Equal(total, ledger.Summary().UsableGpus);
    }

    [Fact]
    public void OnlyJobsOnSeveralLeaves_AreCrossingLeaves()
    {
        var ledger = new SiteLedger(Demo, "east");
        ledger.AssignJob("whole-host", Enumerable.Range(0, 8).Select(i => Gpu("h0003", i)));
        Demo.Paths.TryGetPath(Gpu("h0004", 0), out _, out var leaf);
        ledger.AssignJob("one-rail", Demo.Paths.GpusBehind(leaf).Where(g => !g.Contains("h0003-")).Take(2));
        Assert.Equal(["whole-host"], ledger.JobsCrossingLeaves());
    }

    [Fact]
    public void A_RepeatedChange_ChangesNothing()
    {
        var ledger = new SiteLedger(Demo, "east");
        Assert.True(ledger.Apply(Change("east/storage/s00", DeviceHealth.Degraded)));
        Assert.False(ledger.Apply(Change("east/storage/s00", DeviceHealth.Degraded, previous: DeviceHealth.Degraded)));
        var summary = ledger.Summary();
        Assert.Equal(1, summary.StorageNodes.Degraded);
        Assert.True(summary.StorageReadAvailableGBps < summary.StorageReadGBps);
    }
}
