using Twin.Model.Devices;
using Twin.Model.Fabric;
using Twin.Model.Topology;

namespace Twin.Model.Tests.Topology;

public sealed class TopologyGeneratorTests
{
    private static string RepoFile(string relative) => Twin.Tests.Shared.RepoPaths.File(relative);

    private static FactoryTopology Generate(string yaml) => TopologyGenerator.Generate(TopologyLoader.Parse(yaml));

    [Fact]
    public void TwoTierRailOptimisedSite_HasLeavesPerRail_AndHalfAsManySpines()
    {
        // 64 hosts x 8 GPUs on radix 128 (51.2T / 400G): a leaf serves k/2 = 64 hosts on one rail,
        // so 8 rails x 1 leaf; each leaf sends 64 uplinks, each spine takes 128 → 8*64/128 = 4 spines.
        var t = Generate("""
            name: t
            sites:
              - name: east
                hosts: 64
                gpusPerHost: 8
                fabric: { siliconTbps: 51.2, portGbps: 400 }
            """);
        var switches = t.Devices.Where(d => d.Kind == DeviceKind.Switch).ToList();
        Assert.Equal(8, switches.Count(s => s.Tier == "leaf"));
        Assert.Equal(4, switches.Count(s => s.Tier == "spine"));
        Assert.Equal(512, t.Count("east", DeviceKind.Gpu));
        Assert.Equal(512 + 8 * 64, t.Count("east", DeviceKind.Link));
        Assert.Equal(64, t.Count("east", DeviceKind.Dpu));
    }

    [Fact]
    public void RailOptimisation_PutsGpuIOfEveryHostOnRailI()
    {
        var t = Generate("""
            name: t
            sites:
              - name: east
                hosts: 4
                gpusPerHost: 8
                fabric: { radix: 16 }
            """);
        // radix 16: k/2 = 8 hosts per leaf, so one leaf per rail; GPU 3 of each host is on leaf-03
        var links = t.Devices.Where(d => d.Tier == "gpu-leaf" && d.EndpointA!.EndsWith("-3", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, links.Count);
        Assert.All(links, l => Assert.Equal("east/switch/leaf-03", l.EndpointB));
        Assert.Equal("east/link/h0002-3:leaf-03", links[2].Id);
    }

    [Theory]
    [InlineData(64, 2, 2_048)]
    [InlineData(64, 3, 65_536)]
    [InlineData(128, 2, 8_192)]
    [InlineData(128, 3, 524_288)]
    [InlineData(512, 1, 512)]
    public void FatTreeCapacity_FollowsKSquaredOverTwo_AndKCubedOverFour(int radix, int tiers, long expected) =>
        Assert.Equal(expected, FatTree.Capacity(radix, tiers));

    [Theory]
    [InlineData(102.4, 800, 128)]
    [InlineData(102.4, 200, 512)]
    [InlineData(51.2, 800, 64)]
    [InlineData(51.2, 400, 128)]
    public void Radix_IsSiliconOverPortSpeed(double tbps, double gbps, int radix) => Assert.Equal(radix, FatTree.Radix(tbps, gbps));

    [Fact]
    public void ThreeTierSite_SizesPodsAndCores()
    {
        // 2,048 hosts x 8 = 16,384 GPUs, radix 64 (51.2T at 800G): two tiers join only 2,048, so three.
        // Rails: 8 x ceil(2048 / 32) = 512 leaves; pods of 32 leaves → 16 pods x 32 aggregation = 512;
        // cores take 64 uplinks each: 512 * 32 / 64 = 256.
        var t = Generate("""
            name: t
            sites:
              - name: east
                hosts: 2048
                fabric: { siliconTbps: 51.2, portGbps: 800 }
                dpus: false
            """);
        var tiers = t.Devices.Where(d => d.Kind == DeviceKind.Switch).GroupBy(d => d.Tier!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(512, tiers["leaf"]);
        Assert.Equal(512, tiers["spine"]);
        Assert.Equal(256, tiers["core"]);
        Assert.Equal(16_384 + 512 * 32 + 512 * 32, t.Count("east", DeviceKind.Link));
        Assert.Equal(0, t.Count("east", DeviceKind.Dpu));
    }

    [Fact]
    public void CpoRadix512_JoinsAWholeSmallSiteInOneTier()
    {
        var t = Generate("""
            name: t
            sites:
              - name: north
                hosts: 64
                gpusPerHost: 8
                fabric: { siliconTbps: 102.4, portGbps: 200, gpuLeaf: { optics: cpo } }
            """);
        Assert.Equal(1, t.Count("north", DeviceKind.Switch));
        Assert.Equal(1, t.Spec.Sites[0].Fabric.Tiers);
        Assert.All(t.Devices.Where(d => d.Kind == DeviceKind.Link), l => Assert.Equal(OpticType.Cpo, l.Optics));
    }

    [Fact]
    public void Generation_IsDeterministic_AndIdsAreUnique()
    {
        var yaml = File.ReadAllText(RepoFile("scenarios/topologies/demo.yaml"));
        var a = Generate(yaml).Devices.Select(d => d.Id).ToList();
        var b = Generate(yaml).Devices.Select(d => d.Id).ToList();
        Assert.Equal(a, b);
        Assert.Equal(a.Count, a.Distinct().Count());
    }

    [Fact]
    public void DemoTopology_HasThreeSites_AtLeast1024Gpus_AndDciLatencyFromDistance()
    {
        var t = TopologyGenerator.Load(RepoFile("scenarios/topologies/demo.yaml"));
        Assert.Equal(["east", "west", "north"], t.SiteNames);
        Assert.True(t.Devices.Count(d => d.Kind == DeviceKind.Gpu) >= 1024);
        var eastWest = t.Devices.First(d => d.Kind == DeviceKind.Dci && d.EndpointB == "west");
        Assert.True(eastWest.DistanceKm >= 100);
        Assert.Equal(eastWest.DistanceKm * 5 / 1000, FibrePropagation.OneWay(eastWest.DistanceKm).TotalMilliseconds, 6);
    }

    [Fact]
    public void LargeTopology_HasMoreThan100kGpus_AndEveryKind()
    {
        var t = TopologyGenerator.Load(RepoFile("scenarios/topologies/large.yaml"));
        Assert.True(t.Devices.Count(d => d.Kind == DeviceKind.Gpu) >= 100_000);
        Assert.True(t.SiteNames.Count() >= 3);
        foreach (var kind in Enum.GetValues<DeviceKind>())
        {
            Assert.Contains(t.Devices, d => d.Kind == kind);
        }
    }

    [Fact]
    public void HostNames_ResolveToSiteAndHost()
    {
        var t = Generate("""
            name: t
            sites:
              - name: east
                hosts: 2
                fabric: { radix: 16 }
            """);
        Assert.True(t.TryResolveHost("east-h0001", out var site, out var host));
        Assert.Equal(("east", "h0001"), (site, host));
        Assert.False(t.TryResolveHost("west-h0001", out _, out _));
    }
}
