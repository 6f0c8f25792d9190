using System.Globalization;
using Twin.Model.Devices;
using Twin.Model.Fabric;
using Twin.Model.Topology;

namespace Twin.Model.Inventory;

/// <summary>
/// Turns an inventory into the device descriptors the twin serves, for generated and imported factories alike.
/// Order is deterministic (site by site: GPUs host by host, switches, links in cable order, storage, DPUs; then DCI)
/// and ids are built from names: <c>site/gpu/host-i</c>, <c>site/switch/name</c>, <c>site/link/a:b</c> (parallel
/// cables <c>.2</c>, <c>.3</c> …), <c>site/storage/name</c>, <c>site/dpu/host</c>, <c>dci/name</c>.
/// A cable that cannot become a link (unknown device, loopback, a host port that serves no GPU) is skipped with a
/// warning; names that clash or cannot be ids make the whole inventory invalid.
/// </summary>
public static class InventoryConverter
{
    /// <summary>
    /// Converts <paramref name="inventory"/>. <paramref name="generatedFrom"/> is the spec a generated inventory came
    /// from; imported sites get a site summary derived from their devices instead.
    /// </summary>
    public static FactoryTopology ToTopology(InventoryDocument inventory, TopologySpec? generatedFrom = null) =>
        Convert(inventory, generatedFrom).Topology;

    public static InventoryConversion Convert(InventoryDocument inventory, TopologySpec? generatedFrom = null)
    {
        var errors = new List<InventoryIssue>();
        var warnings = new List<InventoryIssue>();
        var devices = new List<DeviceDescriptor>();
        var siteSpecs = new List<SiteSpec>();
        var siteNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < inventory.Sites.Count; i++)
        {
            var site = inventory.Sites[i];
            var path = $"sites[{i}]";
            if (!InventoryNames.IsSiteName(site.Name))
            {
                errors.Add(new InventoryIssue(path + ".name", null, $"site name '{site.Name}' must be lower-case letters, digits and '-', starting with a letter"));
                continue;
            }
            if (site.Name is "dci" or "factory" || !siteNames.Add(site.Name))
            {
                errors.Add(new InventoryIssue(path + ".name", null, $"site name '{site.Name}' is reserved or defined twice"));
                continue;
            }
            var built = new SiteBuilder(site, path, errors, warnings).Build(devices);
            siteSpecs.Add(generatedFrom?.Sites.FirstOrDefault(s => s.Name == site.Name) ?? built);
        }
        var dciSpecs = new List<DciSpec>();
        var dciNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < inventory.Dci.Count; i++)
        {
            var dci = inventory.Dci[i];
            var path = $"dci[{i}]";
            if (!InventoryNames.IsName(dci.Name) || !dciNames.Add(dci.Name))
            {
                errors.Add(new InventoryIssue(path + ".name", null, $"DCI circuit name '{dci.Name}' is not a valid name or is used twice"));
                continue;
            }
            if (!siteNames.Contains(dci.A) || !siteNames.Contains(dci.B) || dci.A == dci.B)
            {
                errors.Add(new InventoryIssue(path, null, $"DCI circuit '{dci.Name}' must join two different sites of the inventory ({dci.A}, {dci.B})"));
                continue;
            }
            devices.Add(new DeviceDescriptor($"dci/{dci.Name}", DeviceKind.Dci, "dci")
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
            // the spec view groups circuits per site pair, as the parametric file writes them
            var last = dciSpecs.Count - 1;
            if (last >= 0 && dciSpecs[last].A == dci.A && dciSpecs[last].B == dci.B)
            {
                dciSpecs[last] = dciSpecs[last] with { Links = dciSpecs[last].Links + 1 };
            }
            else
            {
                dciSpecs.Add(new DciSpec(dci.A, dci.B, dci.DistanceKm, dci.BandwidthGbps, 1, dci.BufferMB));
            }
        }
        if (errors.Count > 0)
        {
            throw new InventoryException("inventory", errors);
        }
        for (var i = 0; i < devices.Count; i++)
        {
            devices[i] = devices[i] with { Ordinal = i };
        }
        var spec = new TopologySpec(inventory.Name, siteSpecs, dciSpecs);
        return new InventoryConversion(new FactoryTopology(spec, devices, inventory), warnings);
    }

    /// <summary>Rank of a switch tier, lowest first; unknown tiers sort above core.</summary>
    public static int TierRank(string? tier) => tier switch
    {
        "leaf" => 0,
        "spine" => 1,
        "core" => 2,
        _ => 3,
    };

    private sealed class SiteBuilder(InventorySite site, string path, List<InventoryIssue> errors, List<InventoryIssue> warnings)
    {
        private readonly string _s = site.Name;
        private readonly Dictionary<string, int> _hostByName = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, int> _switchByName = new(StringComparer.OrdinalIgnoreCase);

        public SiteSpec Build(List<DeviceDescriptor> devices)
        {
            var first = devices.Count;
            IndexNames();
            var tiers = SwitchTiers();
            var fabric = site.Fabric;

            // GPUs, host by host
            var gpusPerDomain = new Dictionary<int, int>();
            var gpuModels = new Dictionary<string, int>(StringComparer.Ordinal);
            var maxGpus = 0;
            var maxNic = 0.0;
            for (var h = 0; h < site.Hosts.Count; h++)
            {
                var host = site.Hosts[h];
                maxGpus = Math.Max(maxGpus, host.Gpus.Count);
                var seen = new HashSet<int>();
                foreach (var nic in host.Nics)
                {
                    maxNic = Math.Max(maxNic, nic.SpeedGbps);
                }
                foreach (var gpu in host.Gpus)
                {
                    if (gpu.Index < 0 || !seen.Add(gpu.Index))
                    {
                        errors.Add(new InventoryIssue($"{path}.hosts[{h}].gpus", null, $"host '{host.Name}' has GPU index {gpu.Index} twice or negative"));
                        continue;
                    }
                    var domain = gpu.NvlinkDomain ?? host.NvlinkDomain ?? h;
                    gpusPerDomain[domain] = gpusPerDomain.GetValueOrDefault(domain) + 1;
                    gpuModels[gpu.Model] = gpuModels.GetValueOrDefault(gpu.Model) + 1;
                    devices.Add(new DeviceDescriptor($"{_s}/gpu/{GpuName(host.Name, gpu.Index)}", DeviceKind.Gpu, _s)
                    {
                        Host = host.Name,
                        Index = gpu.Index,
                        Model = gpu.Model,
                        NvlinkDomain = domain,
                        SpeedGbps = host.Nics.FirstOrDefault(n => n.Rail == gpu.Index)?.SpeedGbps
                            ?? (host.Nics.Count > 0 ? host.Nics.Max(n => n.SpeedGbps) : fabric?.PortGbps ?? 400),
                    });
                }
            }

            // switches
            var portGbps = new Dictionary<double, int>();
            for (var i = 0; i < site.Switches.Count; i++)
            {
                var sw = site.Switches[i];
                var port = sw.PortGbps ?? fabric?.PortGbps ?? 400;
                portGbps[port] = portGbps.GetValueOrDefault(port) + 1;
                var ports = sw.Ports ?? fabric?.Radix ?? 64;
                devices.Add(new DeviceDescriptor($"{_s}/switch/{sw.Name}", DeviceKind.Switch, _s)
                {
                    Tier = tiers[i],
                    Radix = ports,
                    SiliconTbps = sw.SiliconTbps ?? fabric?.SiliconTbps ?? ports * port / 1000,
                    SpeedGbps = port,
                    Model = sw.Model ?? sw.Silicon ?? "switch",
                    Optics = sw.Optics,
                });
            }

            // links, in cable order
            var parallel = new Dictionary<string, int>(StringComparer.Ordinal);
            var tierOptics = new Dictionary<string, TierLink>(StringComparer.Ordinal);
            for (var c = 0; c < site.Cables.Count; c++)
            {
                if (Link(site.Cables[c], $"{path}.cables[{c}]", tiers, parallel) is { } link)
                {
                    devices.Add(link);
                    tierOptics.TryAdd(link.Tier!, new TierLink(link.Optics ?? OpticType.Dsp, link.LengthM));
                }
            }

            // storage
            var storageNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < site.Storage.Count; i++)
            {
                var st = site.Storage[i];
                if (!InventoryNames.IsName(st.Name) || !storageNames.Add(st.Name))
                {
                    errors.Add(new InventoryIssue($"{path}.storage[{i}].name", null, $"storage name '{st.Name}' is not a valid name or is used twice"));
                    continue;
                }
                devices.Add(new DeviceDescriptor($"{_s}/storage/{st.Name}", DeviceKind.Storage, _s)
                {
                    Model = st.Model ?? (st.Tier == StorageTier.Hot ? "nvme-hot" : "capacity"),
                    Tier = st.Tier == StorageTier.Hot ? "hot" : "capacity",
                    CapacityTB = st.CapacityTB,
                    MaxReadGBps = st.ReadGBps,
                    MaxWriteGBps = st.WriteGBps,
                });
            }

            // DPUs, host by host
            foreach (var host in site.Hosts)
            {
                if (host.Dpu is { } dpu)
                {
                    devices.Add(new DeviceDescriptor($"{_s}/dpu/{host.Name}", DeviceKind.Dpu, _s)
                    {
                        Host = host.Name,
                        Model = dpu.Model,
                        SpeedGbps = dpu.SpeedGbps,
                    });
                }
            }

            return Summary(fabric, tiers, portGbps, tierOptics, gpusPerDomain, gpuModels, maxGpus, maxNic);
        }

        public static string GpuName(string host, int index) => host + "-" + index.ToString(CultureInfo.InvariantCulture);

        private void IndexNames()
        {
            void Add(Dictionary<string, int> into, string name, int index, string at, bool alias)
            {
                if (!alias && !InventoryNames.IsName(name))
                {
                    errors.Add(new InventoryIssue(at, null, $"'{name}' cannot be part of an id: use letters, digits, '.', '_' and '-'"));
                }
                else if (_hostByName.ContainsKey(name) || _switchByName.ContainsKey(name))
                {
                    if (!alias)
                    {
                        errors.Add(new InventoryIssue(at, null, $"'{name}' names two devices of site {_s}"));
                    }
                    else
                    {
                        warnings.Add(new InventoryIssue(at, null, $"alias '{name}' is already a name in site {_s}; ignored"));
                    }
                }
                else
                {
                    into[name] = index;
                }
            }
            for (var i = 0; i < site.Hosts.Count; i++)
            {
                Add(_hostByName, site.Hosts[i].Name, i, $"{path}.hosts[{i}].name", alias: false);
            }
            for (var i = 0; i < site.Switches.Count; i++)
            {
                Add(_switchByName, site.Switches[i].Name, i, $"{path}.switches[{i}].name", alias: false);
            }
            for (var i = 0; i < site.Hosts.Count; i++)
            {
                foreach (var alias in site.Hosts[i].Aliases)
                {
                    Add(_hostByName, alias, i, $"{path}.hosts[{i}].aliases", alias: true);
                }
            }
            for (var i = 0; i < site.Switches.Count; i++)
            {
                foreach (var alias in site.Switches[i].Aliases)
                {
                    Add(_switchByName, alias, i, $"{path}.switches[{i}].aliases", alias: true);
                }
            }
        }

        // Declared tiers win; otherwise switches cabled to GPUs are leaves, their other neighbours spines, the next cores.
        private string[] SwitchTiers()
        {
            var tiers = site.Switches.Select(s => s.Tier).ToArray();
            if (tiers.All(t => t is not null))
            {
                return tiers!;
            }
            var neighbours = site.Switches.Select(_ => new List<int>()).ToArray();
            var frontier = new Queue<int>();
            foreach (var cable in site.Cables)
            {
                var a = _switchByName.TryGetValue(cable.A.Device, out var sa) ? sa : -1;
                var b = _switchByName.TryGetValue(cable.B.Device, out var sb) ? sb : -1;
                if (a >= 0 && b >= 0 && a != b)
                {
                    neighbours[a].Add(b);
                    neighbours[b].Add(a);
                }
                else if (a >= 0 != b >= 0 && (_hostByName.ContainsKey(cable.A.Device) || _hostByName.ContainsKey(cable.B.Device)))
                {
                    var leaf = Math.Max(a, b);
                    if (tiers[leaf] is null)
                    {
                        tiers[leaf] = "leaf";
                        frontier.Enqueue(leaf);
                    }
                }
            }
            foreach (var declared in Enumerable.Range(0, tiers.Length).Where(i => site.Switches[i].Tier is not null))
            {
                frontier.Enqueue(declared);
            }
            while (frontier.TryDequeue(out var s))
            {
                var next = TierRank(tiers[s]) switch { 0 => "spine", _ => "core" };
                foreach (var n in neighbours[s])
                {
                    if (tiers[n] is null)
                    {
                        tiers[n] = next;
                        frontier.Enqueue(n);
                    }
                }
            }
            return tiers.Select(t => t ?? "leaf").ToArray();
        }

        private DeviceDescriptor? Link(InventoryCable cable, string at, string[] tiers, Dictionary<string, int> parallel)
        {
            var a = End(cable.A, at + ".a");
            var b = End(cable.B, at + ".b");
            if (a is null || b is null)
            {
                return null;
            }
            if (a.Value.Id == b.Value.Id)
            {
                warnings.Add(new InventoryIssue(at, null, $"loopback cable on {cable.A.Device} ({cable.A.Port} ↔ {cable.B.Port}) carries no fabric traffic; skipped"));
                return null;
            }
            if (a.Value.Gpu && b.Value.Gpu)
            {
                warnings.Add(new InventoryIssue(at, null, $"cable joins two hosts ({cable.A.Device}, {cable.B.Device}) without a switch; skipped"));
                return null;
            }
            // GPU end first, then the lower switch tier: the order the twin's fabric rules read
            if (b.Value.Gpu || (!a.Value.Gpu && TierRank(tiers[b.Value.Switch]) < TierRank(tiers[a.Value.Switch])))
            {
                (a, b) = (b, a);
            }
            var tier = a.Value.Gpu ? "gpu-leaf" : TierPair(tiers[a.Value.Switch], tiers[b.Value.Switch]);
            var fabric = site.Fabric;
            var defaults = tier switch
            {
                "gpu-leaf" => fabric?.GpuLeaf ?? new TierLink(OpticType.Dac, 3),
                "leaf-spine" => fabric?.LeafSpine ?? new TierLink(OpticType.Dsp, 50),
                _ => fabric?.SpineCore ?? new TierLink(OpticType.Dsp, 500),
            };
            var key = a.Value.Short + ":" + b.Value.Short;
            var n = parallel[key] = parallel.GetValueOrDefault(key) + 1;
            var optics = cable.Optics ?? defaults.Optics;
            return new DeviceDescriptor($"{_s}/link/{key}{(n == 1 ? "" : "." + n.ToString(CultureInfo.InvariantCulture))}", DeviceKind.Link, _s)
            {
                EndpointA = a.Value.Id,
                EndpointB = b.Value.Id,
                Tier = tier,
                SpeedGbps = cable.SpeedGbps ?? Math.Min(a.Value.Gbps, b.Value.Gbps),
                Optics = optics,
                LengthM = cable.LengthM ?? defaults.LengthM,
                Model = optics.ToString().ToLowerInvariant(),
            };
        }

        private static string TierPair(string lower, string upper) => lower + "-" + upper;

        private (string Id, string Short, bool Gpu, int Switch, double Gbps)? End(CableEnd end, string at)
        {
            if (_switchByName.TryGetValue(end.Device, out var s))
            {
                var sw = site.Switches[s];
                return ($"{_s}/switch/{sw.Name}", sw.Name, false, s, sw.PortGbps ?? site.Fabric?.PortGbps ?? 400);
            }
            if (_hostByName.TryGetValue(end.Device, out var h))
            {
                var host = site.Hosts[h];
                var nic = end.Port is null ? (host.Nics.Count == 1 ? host.Nics[0] : null)
                    : host.Nics.FirstOrDefault(n => string.Equals(n.Name, end.Port, StringComparison.OrdinalIgnoreCase));
                if (nic?.Rail is not { } rail || host.Gpus.All(g => g.Index != rail))
                {
                    warnings.Add(new InventoryIssue(at, null, $"host {host.Name} port '{end.Port}' is not a NIC serving one of its GPUs; cable skipped"));
                    return null;
                }
                var gpu = GpuName(host.Name, rail);
                return ($"{_s}/gpu/{gpu}", gpu, true, -1, nic.SpeedGbps);
            }
            warnings.Add(new InventoryIssue(at, null, $"no host or switch named '{end.Device}' in site {_s}; cable skipped"));
            return null;
        }

        private SiteSpec Summary(FabricSpec? fabric, string[] tiers, Dictionary<double, int> portGbps, Dictionary<string, TierLink> tierOptics,
            Dictionary<int, int> gpusPerDomain, Dictionary<string, int> gpuModels, int maxGpus, double maxNic)
        {
            if (fabric is null)
            {
                var port = portGbps.Count > 0 ? portGbps.MaxBy(p => p.Value).Key : 400;
                var radix = site.Switches.Count > 0 ? site.Switches.Max(s => s.Ports ?? 64) : 64;
                var tierCount = Math.Clamp(tiers.Distinct().Count(t => TierRank(t) < 3), 1, FatTree.MaxTiers);
                fabric = new FabricSpec(
                    site.Network,
                    site.Switches.Count > 0 ? site.Switches.Max(s => s.SiliconTbps ?? (s.Ports ?? 64) * (s.PortGbps ?? port) / 1000) : 51.2,
                    port,
                    radix + radix % 2,
                    tierCount,
                    site.Hosts.Any(h => h.Nics.Count(n => n.Rail is not null) > 1),
                    tierOptics.GetValueOrDefault("gpu-leaf") ?? new TierLink(OpticType.Dac, 3),
                    tierOptics.GetValueOrDefault("leaf-spine") ?? new TierLink(OpticType.Dsp, 50),
                    tierOptics.GetValueOrDefault("spine-core") ?? new TierLink(OpticType.Dsp, 500));
            }
            var storage = site.Storage
                .GroupBy(s => s.Tier)
                .Select(g => new StorageTierSpec(g.Key, g.Count(), g.First().CapacityTB, g.First().ReadGBps, g.First().WriteGBps))
                .ToList();
            return new SiteSpec(
                site.Name,
                site.Hosts.Count,
                Math.Max(1, maxGpus),
                gpuModels.Count > 0 ? gpuModels.MaxBy(m => m.Value).Key : "unknown",
                Math.Max(1, gpusPerDomain.Count > 0 ? gpusPerDomain.Values.Max() : 1),
                maxNic > 0 ? maxNic : fabric.PortGbps,
                fabric,
                storage,
                site.Hosts.Any(h => h.Dpu is not null));
        }
    }
}

/// <summary>An inventory turned into devices, and the cables that could not become links.</summary>
public sealed record InventoryConversion(FactoryTopology Topology, IReadOnlyList<InventoryIssue> Warnings);
