using System.Globalization;
using Twin.Model.Fabric;

namespace Twin.Model.Inventory.Import;

/// <summary>
/// Collects what a source says about one site (switches, host ports, cables), merging repeats, and builds the
/// inventory site. Sources that list a host's fabric ports but not its GPUs get one GPU per cabled port, rails in
/// the ports' natural order (<c>mlx5_0</c> &lt; <c>mlx5_2</c> &lt; <c>mlx5_10</c>): a rail-optimised server pairs each
/// scale-out NIC with one GPU.
/// </summary>
public sealed class SiteAssembler(string site)
{
    private readonly Dictionary<string, SwitchDraft> _switches = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, HostDraft> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<InventoryCable> _cables = [];
    private readonly HashSet<string> _cableKeys = new(StringComparer.OrdinalIgnoreCase);

    public string Site { get; } = site;

    public string Network { get; set; } = "infiniband";

    public int SwitchCount => _switches.Count;

    public int HostCount => _hosts.Count;

    public int CableCount => _cables.Count;

    public bool IsSwitch(string name) => _switches.ContainsKey(name);

    public bool IsHost(string name) => _hosts.ContainsKey(name);

    public SwitchDraft Switch(string name) =>
        _switches.TryGetValue(name, out var s) ? s : _switches[name] = new SwitchDraft(name);

    public HostDraft Host(string name) =>
        _hosts.TryGetValue(name, out var h) ? h : _hosts[name] = new HostDraft(name);

    /// <summary>Adds a cable once, whichever side reports it first; false for a repeat.</summary>
    public bool Cable(string a, string? aPort, string b, string? bPort, double? speedGbps = null, OpticType? optics = null, double? lengthM = null)
    {
        var left = $"{a}|{aPort}";
        var right = $"{b}|{bPort}";
        var key = string.CompareOrdinal(left, right) <= 0 ? left + "~" + right : right + "~" + left;
        if (!_cableKeys.Add(key))
        {
            return false;
        }
        _cables.Add(new InventoryCable
        {
            A = new CableEnd { Device = a, Port = aPort },
            B = new CableEnd { Device = b, Port = bPort },
            SpeedGbps = speedGbps,
            Optics = optics,
            LengthM = lengthM,
        });
        return true;
    }

    public InventorySite Build()
    {
        var cabled = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var c in _cables)
        {
            cabled.Add($"{c.A.Device}|{c.A.Port}");
            cabled.Add($"{c.B.Device}|{c.B.Port}");
        }
        var hosts = new List<InventoryHost>();
        foreach (var h in _hosts.Values)
        {
            var nics = new List<InventoryNic>();
            var rail = 0;
            foreach (var nic in h.Nics.Values.OrderBy(n => n.Name, NaturalComparer.Instance))
            {
                var fabric = h.GpusFromPorts && cabled.Contains($"{h.Name}|{nic.Name}");
                nics.Add(nic with { Rail = fabric ? rail++ : nic.Rail });
            }
            var gpus = h.Gpus.Count > 0 ? h.Gpus.Values.OrderBy(g => g.Index).ToList()
                : Enumerable.Range(0, rail).Select(i => new InventoryGpu { Index = i, Model = h.GpuModel ?? "unknown" }).ToList();
            hosts.Add(new InventoryHost
            {
                Name = h.Name,
                Aliases = h.Aliases.Where(a => !a.Equals(h.Name, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
                Pod = h.Pod,
                Rack = h.Rack,
                NvlinkDomain = h.NvlinkDomain,
                Gpus = gpus,
                Nics = nics,
            });
        }
        return new InventorySite
        {
            Name = Site,
            Network = Network,
            Hosts = hosts,
            Switches = _switches.Values.Select(s => new InventorySwitch
            {
                Name = s.Name,
                Aliases = s.Aliases.Where(a => !a.Equals(s.Name, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
                Tier = s.Tier,
                Model = s.Model,
                PortGbps = s.PortGbps,
                Ports = s.Ports,
                Guid = s.Guid,
                Pod = s.Pod,
            }).ToList(),
            Cables = _cables,
        };
    }

    public sealed class SwitchDraft(string name)
    {
        public string Name { get; } = name;

        public List<string> Aliases { get; } = [];

        public string? Tier { get; set; }

        public string? Model { get; set; }

        public double? PortGbps { get; set; }

        public int? Ports { get; set; }

        public string? Guid { get; set; }

        public string? Pod { get; set; }
    }

    public sealed class HostDraft(string name)
    {
        public string Name { get; } = name;

        public List<string> Aliases { get; } = [];

        public Dictionary<string, InventoryNic> Nics { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<int, InventoryGpu> Gpus { get; } = [];

        /// <summary>True unless the source listed the GPUs: then cabled ports become one GPU each.</summary>
        public bool GpusFromPorts { get; set; } = true;

        public string? GpuModel { get; set; }

        public string? Pod { get; set; }

        public string? Rack { get; set; }

        public int? NvlinkDomain { get; set; }

        public InventoryNic Nic(string name, string? guid = null, string? mac = null, double? speedGbps = null)
        {
            var nic = Nics.TryGetValue(name, out var n) ? n : new InventoryNic { Name = name };
            nic = nic with
            {
                Guid = guid ?? nic.Guid,
                Mac = mac ?? nic.Mac,
                SpeedGbps = speedGbps ?? nic.SpeedGbps,
            };
            return Nics[name] = nic;
        }
    }

    /// <summary>Orders names with their digit runs compared as numbers.</summary>
    public sealed class NaturalComparer : IComparer<string>
    {
        public static NaturalComparer Instance { get; } = new();

        public int Compare(string? x, string? y)
        {
            x ??= "";
            y ??= "";
            int i = 0, j = 0;
            while (i < x.Length && j < y.Length)
            {
                if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
                {
                    var si = i;
                    var sj = j;
                    while (i < x.Length && char.IsAsciiDigit(x[i]))
                    {
                        i++;
                    }
                    while (j < y.Length && char.IsAsciiDigit(y[j]))
                    {
                        j++;
                    }
                    var a = x[si..i].TrimStart('0');
                    var b = y[sj..j].TrimStart('0');
                    var c = a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
                    if (c != 0)
                    {
                        return c;
                    }
                    continue;
                }
                var d = char.ToLowerInvariant(x[i]).CompareTo(char.ToLowerInvariant(y[j]));
                if (d != 0)
                {
                    return d;
                }
                i++;
                j++;
            }
            return (x.Length - i).CompareTo(y.Length - j);
        }
    }

    internal static string Guid(string hex) => "0x" + hex.TrimStart('0', 'x', 'X').PadLeft(16, '0').ToLower(CultureInfo.InvariantCulture);
}
