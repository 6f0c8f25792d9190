using System.Collections.Frozen;
using Twin.Model.Devices;

namespace Twin.Model.Topology;

/// <summary>
/// Every device of a factory, in a deterministic order (site by site, kind by kind), with the
/// indexes the twin needs: by id, by site and kind, by host name.
/// </summary>
public sealed class FactoryTopology
{
    private readonly FrozenDictionary<string, DeviceDescriptor> _byId;
    private readonly FrozenDictionary<string, DeviceDescriptor>.AlternateLookup<ReadOnlySpan<char>> _byIdSpan;
    private readonly FrozenDictionary<string, (string Site, string Host)> _hosts;
    private readonly Dictionary<(string Site, DeviceKind Kind), int> _counts = new();

    public FactoryTopology(TopologySpec spec, IReadOnlyList<DeviceDescriptor> devices)
    {
        Spec = spec;
        Devices = devices;
        _byId = devices.ToFrozenDictionary(d => d.Id, StringComparer.Ordinal);
        _byIdSpan = _byId.GetAlternateLookup<ReadOnlySpan<char>>();
        var hosts = new Dictionary<string, (string, string)>(StringComparer.OrdinalIgnoreCase);
        foreach (var d in devices)
        {
            var key = (d.Site, d.Kind);
            _counts[key] = _counts.GetValueOrDefault(key) + 1;
            if (d.Kind is DeviceKind.Gpu or DeviceKind.Dpu && d.Host is { } host)
            {
                hosts[HostName(d.Site, host)] = (d.Site, host);
            }
        }
        _hosts = hosts.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    public TopologySpec Spec { get; }

    private GpuPaths? _paths;

    /// <summary>The GPUs behind each NIC link and leaf (built on first use; every rule about usability reads it).</summary>
    public GpuPaths Paths => LazyInitializer.EnsureInitialized(ref _paths, () => new GpuPaths(this));

    public IReadOnlyList<DeviceDescriptor> Devices { get; }

    public IEnumerable<string> SiteNames => Spec.Sites.Select(s => s.Name);

    public bool TryGet(string id, out DeviceDescriptor device) => _byId.TryGetValue(id, out device!);

    /// <summary>Looks an id up without allocating a string (telemetry labels arrive as spans).</summary>
    public bool TryGet(ReadOnlySpan<char> id, out DeviceDescriptor device) => _byIdSpan.TryGetValue(id, out device!);

    public DeviceDescriptor? Find(string id) => _byId.GetValueOrDefault(id);

    public int Count(string site, DeviceKind kind) => _counts.GetValueOrDefault((site, kind));

    public bool HasSite(string site) => site == "dci" || Spec.Sites.Any(s => s.Name == site);

    /// <summary>The machine name a host reports (dcgm-exporter's <c>Hostname</c> label): <c>east-h0012</c>.</summary>
    public static string HostName(string site, string host) => $"{site}-{host}";

    /// <summary>Resolves a reported host name (<c>east-h0012</c>) to its site and short host name.</summary>
    public bool TryResolveHost(string hostname, out string site, out string host)
    {
        if (_hosts.TryGetValue(hostname, out var entry))
        {
            (site, host) = entry;
            return true;
        }
        site = host = "";
        return false;
    }
}
