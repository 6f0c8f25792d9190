using System.Globalization;
using Twin.Model.Fabric;
using Twin.Model.Topology;

namespace Twin.Model.Inventory;

/// <summary>
/// Expands a parametric <see cref="TopologySpec"/> into the inventory of a regular rail-optimised fat tree:
/// <c>hNNNN</c> hosts, <c>leaf-NN</c>/<c>spine-NN</c>/<c>core-NN</c> switches and every cable, deterministically.
/// </summary>
public static class InventoryGenerator
{
    public static InventoryDocument Generate(TopologySpec spec) => new()
    {
        Name = spec.Name,
        Sites = spec.Sites.Select(GenerateSite).ToList(),
        Dci = spec.Dci.SelectMany(d => Enumerable.Range(1, d.Links).Select(i => new InventoryDci
        {
            Name = $"{d.A}-{d.B}-{i.ToString(CultureInfo.InvariantCulture)}",
            A = d.A,
            B = d.B,
            DistanceKm = d.DistanceKm,
            BandwidthGbps = d.BandwidthGbps,
            BufferMB = d.BufferMB,
        })).ToList(),
    };

    public static string HostName(int host) => "h" + host.ToString("D4", CultureInfo.InvariantCulture);

    public static string NicName(int gpu) => "mlx5_" + gpu.ToString(CultureInfo.InvariantCulture);

    private static string Num(long n) => n.ToString("D2", CultureInfo.InvariantCulture);

    private static InventorySite GenerateSite(SiteSpec site)
    {
        var f = site.Fabric;
        var half = f.Radix / 2;
        var hostsPerLeaf = Math.Max(1, half);
        var leavesPerRail = FatTree.CeilDiv(site.Hosts, hostsPerLeaf);
        long? leafCount = f.Tiers == 1 ? 1 : f.RailOptimised ? site.GpusPerHost * leavesPerRail : null;
        var size = FatTree.Size(site.Gpus, f.Radix, f.Tiers, leafCount);
        // an oversubscribed two-tier fabric gives each leaf fewer uplinks, and needs fewer spines for them
        var uplinks = size.Tiers == 2 ? Math.Max(1, (int)Math.Ceiling(half / f.Oversubscription)) : half;
        if (uplinks < half)
        {
            size = size with { Spines = FatTree.CeilDiv(size.Leaves * uplinks, f.Radix) };
        }
        var model = $"{f.SiliconTbps.ToString(CultureInfo.InvariantCulture)}T-{f.Radix}x{f.PortGbps.ToString(CultureInfo.InvariantCulture)}G";

        var hosts = new List<InventoryHost>(site.Hosts);
        var domainsPerHost = Math.Max(1, site.GpusPerHost / site.NvlinkDomain);
        var hostsPerDomain = Math.Max(1, site.NvlinkDomain / site.GpusPerHost);
        var wholeHostDomains = site.NvlinkDomain >= site.GpusPerHost;
        for (var h = 0; h < site.Hosts; h++)
        {
            hosts.Add(new InventoryHost
            {
                Name = HostName(h),
                NvlinkDomain = wholeHostDomains ? h / hostsPerDomain : null,
                Gpus = Enumerable.Range(0, site.GpusPerHost).Select(g => new InventoryGpu
                {
                    Index = g,
                    Model = site.GpuModel,
                    NvlinkDomain = wholeHostDomains ? null : h * domainsPerHost + g / site.NvlinkDomain,
                }).ToList(),
                Nics = Enumerable.Range(0, site.GpusPerHost).Select(g => new InventoryNic { Name = NicName(g), Rail = g, SpeedGbps = site.NicGbps }).ToList(),
                Dpu = site.Dpus ? new InventoryDpu() : null,
            });
        }

        string LeafName(long i) => $"leaf-{Num(i)}";
        string SpineName(long i) => $"spine-{Num(i)}";
        string CoreName(long i) => $"core-{Num(i)}";
        var switches = new List<InventorySwitch>();
        void AddSwitches(long count, Func<long, string> name, string tier)
        {
            for (var i = 0L; i < count; i++)
            {
                switches.Add(new InventorySwitch
                {
                    Name = name(i),
                    Tier = tier,
                    Model = model,
                    SiliconTbps = f.SiliconTbps,
                    PortGbps = f.PortGbps,
                    Ports = f.Radix,
                    Optics = f.LeafSpine.Optics == OpticType.Cpo ? OpticType.Cpo : null,
                });
            }
        }
        AddSwitches(size.Leaves, LeafName, "leaf");
        AddSwitches(size.Spines, SpineName, "spine");
        AddSwitches(size.Cores, CoreName, "core");

        var cables = new List<InventoryCable>();
        InventoryCable Cable(string a, string? aPort, string b, double speed, TierLink how) => new()
        {
            A = new CableEnd { Device = a, Port = aPort },
            B = new CableEnd { Device = b },
            SpeedGbps = speed,
            Optics = how.Optics,
            LengthM = how.LengthM,
        };

        // GPU NIC → leaf (rail-optimised: NIC g of every host on rail g's leaves)
        for (var h = 0; h < site.Hosts; h++)
        {
            for (var g = 0; g < site.GpusPerHost; g++)
            {
                long leaf = f.Tiers == 1 ? 0
                    : f.RailOptimised ? g * leavesPerRail + h / hostsPerLeaf
                    : ((long)h * site.GpusPerHost + g) / hostsPerLeaf;
                cables.Add(Cable(HostName(h), NicName(g), LeafName(leaf), Math.Min(site.NicGbps, f.PortGbps), f.GpuLeaf));
            }
        }
        if (size.Tiers >= 2)
        {
            for (var l = 0L; l < size.Leaves; l++)
            {
                for (var u = 0; u < uplinks; u++)
                {
                    long spine = size.Tiers == 2 ? (l * uplinks + u) % size.Spines : l / half * half + u;
                    cables.Add(Cable(LeafName(l), null, SpineName(spine), f.PortGbps, f.LeafSpine));
                }
            }
        }
        if (size.Tiers == 3)
        {
            for (var a = 0L; a < size.Spines; a++)
            {
                var local = a % half;
                for (var u = 0; u < half; u++)
                {
                    cables.Add(Cable(SpineName(a), null, CoreName((local * half + u) % size.Cores), f.PortGbps, f.SpineCore));
                }
            }
        }

        var storage = new List<InventoryStorage>();
        foreach (var tier in site.Storage)
        {
            for (var i = 0; i < tier.Nodes; i++)
            {
                storage.Add(new InventoryStorage
                {
                    Name = "s" + Num(storage.Count),
                    Tier = tier.Tier,
                    Model = tier.Tier == StorageTier.Hot ? "nvme-hot" : "capacity",
                    CapacityTB = tier.CapacityTB,
                    ReadGBps = tier.ReadGBps,
                    WriteGBps = tier.WriteGBps,
                });
            }
        }

        return new InventorySite
        {
            Name = site.Name,
            Network = f.Network,
            Fabric = f,
            Hosts = hosts,
            Switches = switches,
            Cables = cables,
            Storage = storage,
        };
    }
}
