using System.Globalization;
using Twin.Model.Devices;
using Twin.Model.Fabric;

namespace Twin.Model.Topology;

/// <summary>
/// Expands a <see cref="TopologySpec"/> into every device and link, deterministically: the same file
/// always yields the same ids in the same order, so every silo agrees without sharing state.
/// </summary>
public static class TopologyGenerator
{
    public static FactoryTopology Generate(TopologySpec spec)
    {
        var devices = new List<DeviceDescriptor>();
        foreach (var site in spec.Sites)
        {
            GenerateSite(site, devices);
        }
        foreach (var dci in spec.Dci)
        {
            for (var i = 1; i <= dci.Links; i++)
            {
                devices.Add(new DeviceDescriptor($"dci/{dci.A}-{dci.B}-{i}", DeviceKind.Dci, "dci")
                {
                    EndpointA = dci.A,
                    EndpointB = dci.B,
                    DistanceKm = dci.DistanceKm,
                    SpeedGbps = dci.BandwidthGbps,
                    BufferMB = dci.BufferMB,
                    Optics = OpticType.Coherent,
                    LengthM = dci.DistanceKm * 1000,
                    Model = "coherent-dci",
                });
            }
        }
        for (var i = 0; i < devices.Count; i++)
        {
            devices[i] = devices[i] with { Ordinal = i };
        }
        return new FactoryTopology(spec, devices);
    }

    public static FactoryTopology Load(string path) => Generate(TopologyLoader.LoadFile(path));

    public static string HostId(int host) => "h" + host.ToString("D4", CultureInfo.InvariantCulture);

    private static string Num(long n) => n.ToString("D2", CultureInfo.InvariantCulture);

    private static void GenerateSite(SiteSpec site, List<DeviceDescriptor> devices)
    {
        var s = site.Name;
        var f = site.Fabric;
        var half = f.Radix / 2;
        var hostsPerLeaf = Math.Max(1, half);
        var leavesPerRail = FatTree.CeilDiv(site.Hosts, hostsPerLeaf);
        long? leaves = f.Tiers == 1 ? 1 : f.RailOptimised ? site.GpusPerHost * leavesPerRail : null;
        var size = FatTree.Size(site.Gpus, f.Radix, f.Tiers, leaves);
        var model = $"{f.SiliconTbps.ToString(CultureInfo.InvariantCulture)}T-{f.Radix}x{f.PortGbps.ToString(CultureInfo.InvariantCulture)}G";

        // GPUs, host by host
        var domainsPerHost = Math.Max(1, site.GpusPerHost / site.NvlinkDomain);
        var hostsPerDomain = Math.Max(1, site.NvlinkDomain / site.GpusPerHost);
        for (var h = 0; h < site.Hosts; h++)
        {
            var host = HostId(h);
            for (var g = 0; g < site.GpusPerHost; g++)
            {
                var domain = site.NvlinkDomain >= site.GpusPerHost ? h / hostsPerDomain : h * domainsPerHost + g / site.NvlinkDomain;
                devices.Add(new DeviceDescriptor($"{s}/gpu/{host}-{g}", DeviceKind.Gpu, s)
                {
                    Host = host,
                    Index = g,
                    Model = site.GpuModel,
                    NvlinkDomain = domain,
                    SpeedGbps = site.NicGbps,
                });
            }
        }

        // switches
        string LeafName(long i) => $"leaf-{Num(i)}";
        string SpineName(long i) => $"spine-{Num(i)}";
        string CoreName(long i) => $"core-{Num(i)}";
        for (var i = 0L; i < size.Leaves; i++)
        {
            devices.Add(Switch(s, LeafName(i), "leaf", f, model));
        }
        for (var i = 0L; i < size.Spines; i++)
        {
            devices.Add(Switch(s, SpineName(i), "spine", f, model));
        }
        for (var i = 0L; i < size.Cores; i++)
        {
            devices.Add(Switch(s, CoreName(i), "core", f, model));
        }

        // GPU NIC → leaf links (rail-optimised: GPU g of every host on rail g's leaves)
        for (var h = 0; h < site.Hosts; h++)
        {
            for (var g = 0; g < site.GpusPerHost; g++)
            {
                long leaf = f.Tiers == 1 ? 0
                    : f.RailOptimised ? g * leavesPerRail + h / hostsPerLeaf
                    : ((long)h * site.GpusPerHost + g) / hostsPerLeaf;
                var gpu = $"{HostId(h)}-{g}";
                devices.Add(Link(s, gpu, LeafName(leaf), $"{s}/gpu/{gpu}", $"{s}/switch/{LeafName(leaf)}", "gpu-leaf",
                    Math.Min(site.NicGbps, f.PortGbps), f.GpuLeaf));
            }
        }

        // leaf → spine uplinks, and spine → core in three tiers
        if (size.Tiers >= 2)
        {
            var parallel = new Dictionary<long, int>();
            for (var l = 0L; l < size.Leaves; l++)
            {
                parallel.Clear();
                for (var u = 0; u < half; u++)
                {
                    long spine = size.Tiers == 2 ? (l * half + u) % size.Spines : l / half * half + u;
                    var n = parallel[spine] = parallel.GetValueOrDefault(spine) + 1;
                    devices.Add(Link(s, LeafName(l), SpineName(spine) + Suffix(n),
                        $"{s}/switch/{LeafName(l)}", $"{s}/switch/{SpineName(spine)}", "leaf-spine", f.PortGbps, f.LeafSpine));
                }
            }
        }
        if (size.Tiers == 3)
        {
            var parallel = new Dictionary<long, int>();
            for (var a = 0L; a < size.Spines; a++)
            {
                parallel.Clear();
                var local = a % half;
                for (var u = 0; u < half; u++)
                {
                    var core = (local * half + u) % size.Cores;
                    var n = parallel[core] = parallel.GetValueOrDefault(core) + 1;
                    devices.Add(Link(s, SpineName(a), CoreName(core) + Suffix(n),
                        $"{s}/switch/{SpineName(a)}", $"{s}/switch/{CoreName(core)}", "spine-core", f.PortGbps, f.SpineCore));
                }
            }
        }

        // storage, tier by tier
        var storageIndex = 0;
        foreach (var tier in site.Storage)
        {
            for (var i = 0; i < tier.Nodes; i++)
            {
                devices.Add(new DeviceDescriptor($"{s}/storage/s{Num(storageIndex++)}", DeviceKind.Storage, s)
                {
                    Model = tier.Tier == StorageTier.Hot ? "nvme-hot" : "capacity",
                    Tier = tier.Tier == StorageTier.Hot ? "hot" : "capacity",
                    CapacityTB = tier.CapacityTB,
                    MaxReadGBps = tier.ReadGBps,
                    MaxWriteGBps = tier.WriteGBps,
                });
            }
        }

        if (site.Dpus)
        {
            for (var h = 0; h < site.Hosts; h++)
            {
                var host = HostId(h);
                devices.Add(new DeviceDescriptor($"{s}/dpu/{host}", DeviceKind.Dpu, s)
                {
                    Host = host,
                    Model = "dpu-400g",
                    SpeedGbps = 400,
                });
            }
        }
    }

    // Parallel links between the same two switches get .2, .3, ... ; the first keeps the plain name.
    private static string Suffix(int n) => n == 1 ? "" : "." + n.ToString(CultureInfo.InvariantCulture);

    private static DeviceDescriptor Switch(string site, string name, string tier, FabricSpec f, string model) =>
        new($"{site}/switch/{name}", DeviceKind.Switch, site)
        {
            Tier = tier,
            Radix = f.Radix,
            SiliconTbps = f.SiliconTbps,
            SpeedGbps = f.PortGbps,
            Model = model,
            Optics = f.LeafSpine.Optics == OpticType.Cpo ? OpticType.Cpo : null,
        };

    private static DeviceDescriptor Link(string site, string a, string b, string endpointA, string endpointB, string tier,
        double speedGbps, TierLink how) =>
        new($"{site}/link/{a}:{b}", DeviceKind.Link, site)
        {
            EndpointA = endpointA,
            EndpointB = endpointB,
            Tier = tier,
            SpeedGbps = speedGbps,
            Optics = how.Optics,
            LengthM = how.LengthM,
            Model = how.Optics.ToString().ToLowerInvariant(),
        };
}
