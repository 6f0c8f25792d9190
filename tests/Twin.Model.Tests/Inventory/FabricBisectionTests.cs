using Twin.Model.Devices;
using Twin.Model.Fabric;
using Twin.Model.Inventory;
using Twin.Model.Tests.Scenarios;
using Twin.Model.Topology;

namespace Twin.Model.Tests.Inventory;

/// <summary>
/// Bisection from the actual links, against hand calculations on a small irregular site: pod A has leaves l1 and l2,
/// pod B only l3 (unequal pods); every leaf has four 400G single-GPU hosts; spines s1, s2.
/// </summary>
public sealed class FabricBisectionTests
{
    // uplinks per leaf per spine; missing names a leaf whose s2 cable is absent
    private static FactoryTopology Site(int uplinksPerSpine, string? missing = null)
    {
        var hosts = new List<InventoryHost>();
        var cables = new List<InventoryCable>();
        foreach (var leaf in new[] { "l1", "l2", "l3" })
        {
            for (var h = 0; h < 4; h++)
            {
                var name = $"{leaf}-h{h}";
                hosts.Add(new InventoryHost
                {
                    Name = name,
                    Pod = leaf == "l3" ? "b" : "a",
                    Gpus = [new InventoryGpu { Index = 0, Model = "H100-SXM5-80GB" }],
                    Nics = [new InventoryNic { Name = "mlx5_0", Rail = 0, SpeedGbps = 400 }],
                });
                cables.Add(new InventoryCable { A = new CableEnd { Device = name, Port = "mlx5_0" }, B = new CableEnd { Device = leaf } });
            }
            foreach (var spine in new[] { "s1", "s2" })
            {
                for (var u = 0; u < uplinksPerSpine; u++)
                {
                    if (!(leaf == missing && spine == "s2"))
                    {
                        cables.Add(new InventoryCable { A = new CableEnd { Device = leaf, Port = $"up{spine}{u}" }, B = new CableEnd { Device = spine } });
                    }
                }
            }
        }
        var switches = new[] { "l1", "l2", "l3", "s1", "s2" }.Select(n => new InventorySwitch { Name = n, PortGbps = 400, Ports = 64 }).ToList();
        return InventoryConverter.ToTopology(new InventoryDocument
        {
            Sites = [new InventorySite { Name = "irr", Hosts = hosts, Switches = switches, Cables = cables }],
        });
    }

    [Fact]
    public void Non_blocking_site_carries_half_its_injection()
    {
        // 4 uplinks per leaf for 4 hosts: 1:1. Halves of 6 GPUs: 6 × 400 = 2,400 Gb/s
        var b = FabricBisection.Compute(Site(2).Devices);
        Assert.Equal(6, b.GpusPerHalf);
        Assert.Equal(2400, b.Gbps, 6);
        Assert.Equal(1.0, b.Oversubscription, 6);
    }

    [Fact]
    public void Two_to_one_spines_halve_what_crosses()
    {
        // 2 uplinks (800 G) per leaf for 1,600 G of hosts. Half A = l1's 4 GPUs + 2 of l2's; half B = 2 of l2's + l3's 4.
        // Cut: l2's two B GPUs (2 × 400, reachable through l2 from anywhere) + l3's uplinks (800) = 1,600 Gb/s.
        var b = FabricBisection.Compute(Site(1).Devices);
        Assert.Equal(1600, b.Gbps, 6);
        Assert.Equal(2400.0 / 1600, b.Oversubscription, 6);
        Assert.Equal(2400, b.TierGbps["leaf-spine"], 6);
        Assert.Equal(4800, b.TierGbps["gpu-leaf"], 6);
    }

    [Fact]
    public void A_missing_cable_shows()
    {
        // l3 lost its s2 cable: its uplinks are 400 G, so the cut is 800 + 400 = 1,200 Gb/s
        Assert.Equal(1200, FabricBisection.Compute(Site(1, missing: "l3").Devices).Gbps, 6);
        // the same loss as a failed link at run time, through the capacity share
        var full = Site(1);
        var available = FabricBisection.Compute(full.Devices, d => d.Id == "irr/link/l3:s2" ? 0 : 1);
        Assert.Equal(1200, available.Gbps, 6);
    }

    [Fact]
    public void Generated_demo_site_is_non_blocking()
    {
        // east: 512 H100 at 400 G on a rail-optimised two-tier fat tree of radix 128: 256 × 400 = 102,400 Gb/s
        var demo = TopologyGenerator.Load(ScenarioFiles.Repo("scenarios/topologies/demo.yaml"));
        var b = FabricBisection.Compute(demo.Devices.Where(d => d.Site == "east"));
        Assert.Equal(102_400, b.Gbps, 3);
        Assert.Equal(256, b.GpusPerHalf);
    }

    [Fact]
    public void Generator_oversubscription_halves_the_bisection()
    {
        // 64 hosts × 8 H100 at 400 G, radix 128, 2:1: eight rail leaves with 32 uplinks each on two spines.
        // Half A (four leaves, 256 GPUs, 102.4 Tb/s injection) crosses on 4 × 32 × 400 G = 51.2 Tb/s.
        var topology = TopologyGenerator.Generate(TopologyLoader.Parse("""
            name: o
            sites:
              - name: east
                hosts: 64
                gpusPerHost: 8
                fabric: { siliconTbps: 51.2, portGbps: 400, oversubscription: 2 }
            """));
        Assert.Equal(2, topology.Devices.Count(d => d is { Kind: DeviceKind.Switch, Tier: "spine" }));
        Assert.Equal(8 * 32, topology.Devices.Count(d => d is { Kind: DeviceKind.Link, Tier: "leaf-spine" }));
        var b = FabricBisection.Compute(topology.Devices);
        Assert.Equal(51_200, b.Gbps, 3);
        Assert.Equal(2, b.Oversubscription, 6);

        var oneTier = Assert.Throws<TopologyException>(() => TopologyLoader.Parse("""
            name: o
            sites:
              - name: east
                hosts: 8
                gpusPerHost: 8
                fabric: { siliconTbps: 51.2, portGbps: 400, oversubscription: 2 }
            """));
        Assert.Contains(oneTier.Errors, e => e.Field.EndsWith("oversubscription", StringComparison.Ordinal));
    }
}
