using System.Collections.Frozen;
using Twin.Model.Devices;
using Twin.Model.Inventory;

namespace Twin.Model.Topology;

/// <summary>
/// Every device of a factory, in a deterministic order (site by site, kind by kind), with the
/// indexes the twin needs: by id, by site and kind, by host name. Built from an inventory (generated or imported);
/// <see cref="ReplaceWith"/> swaps in a changed inventory's devices atomically while the twin runs, so readers
/// always see one whole version and holders of this instance see the new one.
/// </summary>
public sealed class FactoryTopology
{
    private readonly Lock _replace = new();
    private volatile State _state;

    public FactoryTopology(TopologySpec spec, IReadOnlyList<DeviceDescriptor> devices, InventoryDocument? inventory = null)
    {
        _state = new State(spec, devices, inventory);
    }

    /// <summary>Incremented by every <see cref="ReplaceWith"/>; caches built from the topology compare it.</summary>
    public long Version { get; private set; }

    public TopologySpec Spec => _state.Spec;

    public IReadOnlyList<DeviceDescriptor> Devices => _state.Devices;

    /// <summary>The inventory these devices came from (null for topologies built from descriptors directly).</summary>
    public InventoryDocument? Inventory => _state.Inventory;

    /// <summary>The GPUs behind each NIC link and leaf (built on first use per topology version; every rule about usability reads it).</summary>
    public GpuPaths Paths => _state.Paths;

    public IEnumerable<string> SiteNames => Spec.Sites.Select(s => s.Name);

    /// <summary>Installs <paramref name="next"/>'s devices and inventory as this topology's new version.</summary>
    public void ReplaceWith(FactoryTopology next)
    {
        lock (_replace)
        {
            _state = next._state;
            Version++;
        }
    }

    public bool TryGet(string id, out DeviceDescriptor device) => _state.ById.TryGetValue(id, out device!);

    /// <summary>Looks an id up without allocating a string (telemetry labels arrive as spans).</summary>
    public bool TryGet(ReadOnlySpan<char> id, out DeviceDescriptor device) => _state.ByIdSpan.TryGetValue(id, out device!);

    public DeviceDescriptor? Find(string id) => _state.ById.GetValueOrDefault(id);

    /// <summary>
    /// Looks up an id as a URL path may spell it: the id itself, or a GPU as <c>site/gpu/host/index</c>
    /// (for <c>site/gpu/host-index</c>), so real host names with dashes need no percent-encoding.
    /// </summary>
    public bool TryGetPath(string path, out DeviceDescriptor device)
    {
        if (TryGet(path, out device))
        {
            return true;
        }
        var parts = path.Split('/');
        return parts.Length == 4 && parts[1] == "gpu" && parts[3].Length > 0 && parts[3].All(char.IsAsciiDigit)
            && TryGet($"{parts[0]}/gpu/{parts[2]}-{parts[3]}", out device);
    }

    public int Count(string site, DeviceKind kind) => _state.Counts.GetValueOrDefault((site, kind));

    public bool HasSite(string site) => site == "dci" || Spec.Sites.Any(s => s.Name == site);

    /// <summary>The machine name a generated host reports (dcgm-exporter's <c>Hostname</c> label): <c>east-h0012</c>.</summary>
    public static string HostName(string site, string host) => $"{site}-{host}";

    /// <summary>
    /// Resolves a reported host name to its site and host: the inventory name (<c>dgx-a17-03</c>), the site-prefixed
    /// form (<c>east-h0012</c>) or an alias, case-insensitively. A name two hosts share resolves to neither.
    /// </summary>
    public bool TryResolveHost(string hostname, out string site, out string host) => TryResolveHost(hostname.AsSpan(), out site, out host);

    public bool TryResolveHost(ReadOnlySpan<char> hostname, out string site, out string host)
    {
        if (_state.HostsSpan.TryGetValue(hostname, out var entry))
        {
            (site, host) = entry;
            return true;
        }
        site = host = "";
        return false;
    }

    /// <summary>Every name a host answers to, with its site and inventory host name.</summary>
    public IEnumerable<KeyValuePair<string, (string Site, string Host)>> HostNames => _state.Hosts;

    private sealed class State
    {
        public State(TopologySpec spec, IReadOnlyList<DeviceDescriptor> devices, InventoryDocument? inventory)
        {
            Spec = spec;
            Devices = devices;
            Inventory = inventory;
            ById = devices.ToFrozenDictionary(d => d.Id, StringComparer.Ordinal);
            ByIdSpan = ById.GetAlternateLookup<ReadOnlySpan<char>>();
            var hosts = new Dictionary<string, (string, string)>(StringComparer.OrdinalIgnoreCase);
            var ambiguous = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            void Add(string name, string site, string host)
            {
                if (ambiguous.Contains(name))
                {
                    return;
                }
                if (hosts.TryGetValue(name, out var other) && other != (site, host))
                {
                    hosts.Remove(name);
                    ambiguous.Add(name);
                    return;
                }
                hosts[name] = (site, host);
            }
            foreach (var d in devices)
            {
                var key = (d.Site, d.Kind);
                Counts[key] = Counts.GetValueOrDefault(key) + 1;
                if (d.Kind is DeviceKind.Gpu or DeviceKind.Dpu && d.Host is { } host)
                {
                    Add(HostName(d.Site, host), d.Site, host);
                }
            }
            if (inventory is not null)
            {
                foreach (var site in inventory.Sites)
                {
                    foreach (var host in site.Hosts)
                    {
                        Add(host.Name, site.Name, host.Name);
                        foreach (var alias in host.Aliases)
                        {
                            Add(alias, site.Name, host.Name);
                        }
                    }
                }
            }
            Hosts = hosts.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
            HostsSpan = Hosts.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public TopologySpec Spec { get; }

        public IReadOnlyList<DeviceDescriptor> Devices { get; }

        public InventoryDocument? Inventory { get; }

        public FrozenDictionary<string, DeviceDescriptor> ById { get; }

        public FrozenDictionary<string, DeviceDescriptor>.AlternateLookup<ReadOnlySpan<char>> ByIdSpan { get; }

        public Dictionary<(string Site, DeviceKind Kind), int> Counts { get; } = new();

        public FrozenDictionary<string, (string Site, string Host)> Hosts { get; }

        public FrozenDictionary<string, (string Site, string Host)>.AlternateLookup<ReadOnlySpan<char>> HostsSpan { get; }

        private GpuPaths? _paths;

        public GpuPaths Paths => LazyInitializer.EnsureInitialized(ref _paths, () => new GpuPaths(Devices));
    }
}
