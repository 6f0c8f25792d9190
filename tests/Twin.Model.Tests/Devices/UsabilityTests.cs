using Twin.Model.Devices;
using Twin.Model.Fabric;
using Twin.Model.Topology;

namespace Twin.Model.Tests.Devices;

public sealed class UsabilityTests
{
    // 8 hosts × 8 GPUs, radix 16 (6.4T / 400G): a leaf takes k/2 = 8 hosts of one rail, so 8 leaves and 4 spines
    private static readonly FactoryTopology Site = TopologyGenerator.Generate(TopologyLoader.Parse("""
        name: t
        sites:
          - name: east
            hosts: 8
            gpusPerHost: 8
            fabric: { siliconTbps: 6.4, portGbps: 400 }
        """));

    [Theory]
    [InlineData(DeviceHealth.Healthy, LinkState.Up, false)]
    [InlineData(DeviceHealth.Degraded, LinkState.Up, false)]
    [InlineData(DeviceHealth.Degraded, LinkState.Flapping, true)]
    [InlineData(DeviceHealth.Failed, LinkState.Down, true)]
    [InlineData(DeviceHealth.Healthy, LinkState.Down, true)]
    [InlineData(DeviceHealth.Draining, LinkState.Up, true)]
    [InlineData(DeviceHealth.Quarantined, LinkState.Up, true)]
    public void A_Device_Blocks_WhenOutOfThePool_OrNotUp(DeviceHealth health, LinkState state, bool blocks) =>
        Assert.Equal(blocks, Usability.Blocks(health, state));

    [Fact]
    public void GpuPaths_PutEachGpuBehindItself_ItsNicLink_AndItsRailLeaf()
    {
        var gpu = Site.Devices.First(d => d.Kind == DeviceKind.Gpu && d.Host == "h0003" && d.Index == 5);
        Assert.True(Site.Paths.TryGetPath(gpu.Id, out var link, out var leaf));
        Assert.Equal(LinkTier.GpuLeaf, Site.Find(link)!.LinkTier);
        Assert.Equal(SwitchTier.Leaf, Site.Find(leaf)!.SwitchTier);
        Assert.Equal([gpu.Id, link, leaf], Site.Paths.PathOf(gpu.Id));
        Assert.Equal([gpu.Id], Site.Paths.GpusBehind(gpu.Id));
        Assert.Equal([gpu.Id], Site.Paths.GpusBehind(link));
        // rail-optimised: the leaf of rail 5 takes GPU 5 of all 8 hosts
        Assert.Equal(8, Site.Paths.GpusBehind(leaf).Count);
        Assert.All(Site.Paths.GpusBehind(leaf), g => Assert.Equal(5, Site.Find(g)!.Index));
    }

    [Fact]
    public void SpinesAndCores_JoinLeaves_AndOnlyMultiLeafJobsAreInterrupted()
    {
        var spine = Site.Devices.First(d => d.SwitchTier == SwitchTier.Spine);
        Assert.True(Usability.JoinsLeaves(spine));
        Assert.False(Usability.OnGpuPath(spine));
        // one host spans all 8 rails, hence 8 leaves; GPU 0 of two hosts sits on one leaf
        var host = Site.Devices.Where(d => d.Kind == DeviceKind.Gpu && d.Host == "h0000").Select(d => d.Id);
        var rail0 = Site.Devices.Where(d => d.Kind == DeviceKind.Gpu && d.Index == 0).Take(2).Select(d => d.Id);
        Assert.Equal(8, Site.Paths.LeavesUnder(host));
        Assert.Equal(1, Site.Paths.LeavesUnder(rail0));
        Assert.True(Usability.SpineLossInterrupts(Site.Paths.LeavesUnder(host)));
        Assert.False(Usability.SpineLossInterrupts(Site.Paths.LeavesUnder(rail0)));
    }

    [Fact]
    public void DescriptorTiers_AreTyped_ForTheKindTheyBelongTo()
    {
        Assert.All(Site.Devices.Where(d => d.Kind == DeviceKind.Switch), d => Assert.NotNull(d.SwitchTier));
        Assert.All(Site.Devices.Where(d => d.Kind == DeviceKind.Link), d => Assert.NotNull(d.LinkTier));
        Assert.All(Site.Devices.Where(d => d.Kind == DeviceKind.Storage), d => Assert.NotNull(d.StorageTier));
        Assert.All(Site.Devices.Where(d => d.Kind == DeviceKind.Gpu), d => Assert.True(d.SwitchTier is null && d.LinkTier is null));
        Assert.Equal("gpu-leaf", LinkTier.GpuLeaf.Name());
        Assert.Equal(LinkTier.SpineCore, FabricNames.ParseLinkTier("spine-core"));
        Assert.Equal("flapping", LinkState.Flapping.Name());
    }
}
