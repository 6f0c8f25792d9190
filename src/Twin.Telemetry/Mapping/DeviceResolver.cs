using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using Twin.Model.Devices;
using Twin.Model.Topology;

namespace Twin.Telemetry.Mapping;

/// <summary>
/// Maps a sample's labels to a twin device, in this order:
/// <list type="number">
/// <item>an explicit twin id in the device label (or in OTel <c>hw.id</c>);</item>
/// <item>for adapter-port series (node_exporter InfiniBand, <c>hw.network.*</c>): host + adapter (<c>mlx5_3</c> → GPU 3's NIC)
/// → that GPU's NIC-to-leaf link (<c>east/link/h0012-3:leaf-07</c>);</item>
/// <item>a GPU UUID the inventory knows (dcgm-exporter <c>UUID</c>);</item>
/// <item>dcgm-exporter: host + <c>gpu</c> index → <c>east/gpu/h0012-3</c>;</item>
/// <item>OTel: <c>hw.type</c> (<c>gpu</c>/<c>network</c>) + host + <c>hw.id</c> index.</item>
/// </list>
/// Host names are every name the inventory gives a host (<see cref="FactoryTopology.HostNames"/>: its name, <c>site-name</c>,
/// aliases), matched case-insensitively,
/// retried without <c>:port</c> and without the domain. The tables are built once from the topology and are
/// read-only afterwards, so one resolver serves all requests concurrently; a lookup is a span hash and an array index.
/// </summary>
public sealed class DeviceResolver
{
    private readonly FactoryTopology _topology;
    private readonly FrozenDictionary<string, HostDevices>.AlternateLookup<ReadOnlySpan<char>> _hosts;
    private readonly FrozenDictionary<string, DeviceDescriptor>.AlternateLookup<ReadOnlySpan<char>> _uuids;
    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _nicToGpu;
    private readonly bool _hasNicMap;

    public DeviceResolver(FactoryTopology topology, TelemetryMappingOptions options)
    {
        _topology = topology;
        var byHost = new Dictionary<(string Site, string Host), HostDevices>();
        HostDevices Host(string site, string host)
        {
            if (!byHost.TryGetValue((site, host), out var entry))
            {
                byHost[(site, host)] = entry = new HostDevices();
            }
            return entry;
        }
        foreach (var d in topology.Devices)
        {
            if (d.Kind == DeviceKind.Gpu && d.Host is { } host)
            {
                Host(d.Site, host).SetGpu(d.Index, d);
            }
            else if (d.Kind == DeviceKind.Link && d.Tier == "gpu-leaf" && d.EndpointA is { } a
                     && topology.Find(a) is { Kind: DeviceKind.Gpu, Host: { } gpuHost } gpu)
            {
                Host(gpu.Site, gpuHost).SetNic(gpu.Index, d);
            }
        }
        // every name a host answers to (inventory name, site-prefixed name, aliases) reaches the same devices
        var hosts = new Dictionary<string, HostDevices>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, (site, host)) in topology.HostNames)
        {
            if (byHost.TryGetValue((site, host), out var entry))
            {
                hosts[name] = entry;
            }
        }
        var uuids = new Dictionary<string, DeviceDescriptor>(StringComparer.OrdinalIgnoreCase);
        foreach (var site in topology.Inventory?.Sites ?? [])
        {
            foreach (var host in site.Hosts)
            {
                if (byHost.TryGetValue((site.Name, host.Name), out var known))
                {
                    foreach (var nic in host.Nics)
                    {
                        if (nic.Rail is { } rail)
                        {
                            known.SetNicName(nic.Name, rail);
                        }
                    }
                }
                foreach (var g in host.Gpus)
                {
                    if (g.Uuid is { Length: > 0 } uuid && byHost.TryGetValue((site.Name, host.Name), out var entry) && entry.Gpu(g.Index) is { } device)
                    {
                        uuids[uuid] = device;
                    }
                }
            }
        }
        _hosts = hosts.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
        _uuids = uuids.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
        _nicToGpu = options.NicToGpu.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
        _hasNicMap = options.NicToGpu.Count > 0;
    }

    /// <summary>The device the keys name, or null when the topology has no such device.</summary>
    public DeviceDescriptor? Resolve(scoped in DeviceKeys keys)
    {
        if (TryId(keys.Device, out var device) || TryId(keys.HwId, out device))
        {
            return device;
        }
        if (!keys.Uuid.IsEmpty && !keys.OnNic && _uuids.TryGetValue(keys.Uuid, out device))
        {
            return device;
        }
        if (keys.Host.IsEmpty || FindHost(keys.Host) is not { } host)
        {
            return null;
        }
        if (keys.OnNic || keys.HwType.Equals("network", StringComparison.OrdinalIgnoreCase))
        {
            var nic = keys.Nic.IsEmpty ? keys.HwId : keys.Nic;
            // an operator's NicToGpu map wins; then the inventory's adapter names (mlx5_5 may be rail 3); then the trailing number
            if (_hasNicMap)
            {
                return _nicToGpu.TryGetValue(nic, out var mapped) ? host.Nic(mapped) : null;
            }
            return host.NicByName(nic) ?? (TrailingNumber(nic, out var index) ? host.Nic(index) : null);
        }
        if (!keys.Gpu.IsEmpty)
        {
            return int.TryParse(keys.Gpu, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? host.Gpu(index) : null;
        }
        if (keys.HwType.Equals("gpu", StringComparison.OrdinalIgnoreCase) && TrailingNumber(keys.HwId, out var hwIndex))
        {
            return host.Gpu(hwIndex);
        }
        return null;
    }

    /// <summary>Says which keys were tried, for the "unknown device" error (only built on that path).</summary>
    public static string Describe(scoped in DeviceKeys keys)
    {
        var text = new StringBuilder("no device for");
        void Add(string name, ReadOnlySpan<char> value)
        {
            if (!value.IsEmpty)
            {
                text.Append(' ').Append(name).Append("=\"").Append(value).Append('"');
            }
        }
        Add("device", keys.Device);
        Add("host", keys.Host);
        Add("gpu", keys.Gpu);
        Add("nic", keys.Nic);
        Add("hw.type", keys.HwType);
        Add("hw.id", keys.HwId);
        if (text.Length == "no device for".Length)
        {
            text.Append(" a sample without device, host or gpu labels");
        }
        return text.ToString();
    }

    private bool TryId(ReadOnlySpan<char> id, out DeviceDescriptor device)
    {
        // dcgm-exporter's device="nvidia3" and node_exporter's device="mlx5_3" are not twin ids: skip the lookup
        if (id.IndexOf('/') > 0)
        {
            return _topology.TryGet(id, out device);
        }
        device = null!;
        return false;
    }

    private HostDevices? FindHost(ReadOnlySpan<char> name)
    {
        if (_hosts.TryGetValue(name, out var host))
        {
            return host;
        }
        var colon = name.LastIndexOf(':');
        if (colon > 0)
        {
            name = name[..colon];
            if (_hosts.TryGetValue(name, out host))
            {
                return host;
            }
        }
        var dot = name.IndexOf('.');
        return dot > 0 && _hosts.TryGetValue(name[..dot], out host) ? host : null;
    }

    private static bool TrailingNumber(ReadOnlySpan<char> text, out int value)
    {
        var start = text.Length;
        while (start > 0 && char.IsAsciiDigit(text[start - 1]))
        {
            start--;
        }
        value = 0;
        return start < text.Length && int.TryParse(text[start..], NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private sealed class HostDevices
    {
        private DeviceDescriptor?[] _gpus = [];
        private DeviceDescriptor?[] _nics = [];
        private Dictionary<string, int>? _nicNames;

        public DeviceDescriptor? Gpu(int index) => (uint)index < (uint)_gpus.Length ? _gpus[index] : null;

        public DeviceDescriptor? Nic(int index) => (uint)index < (uint)_nics.Length ? _nics[index] : null;

        public DeviceDescriptor? NicByName(ReadOnlySpan<char> name) =>
            _nicNames is not null && _nicNames.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var rail) ? Nic(rail) : null;

        public void SetNicName(string name, int rail) => (_nicNames ??= new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase))[name] = rail;

        public void SetGpu(int index, DeviceDescriptor d) => Set(ref _gpus, index, d);

        public void SetNic(int index, DeviceDescriptor d) => Set(ref _nics, index, d);

        private static void Set(ref DeviceDescriptor?[] array, int index, DeviceDescriptor d)
        {
            if (index >= array.Length)
            {
                Array.Resize(ref array, index + 1);
            }
            array[index] = d;
        }
    }
}
