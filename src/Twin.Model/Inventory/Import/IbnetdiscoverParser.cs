using System.Globalization;
using System.Text.RegularExpressions;

namespace Twin.Model.Inventory.Import;

/// <summary>
/// Reads <c>ibnetdiscover</c> output: <c>Switch N "S-guid" # "description"</c> and <c>Ca</c>/<c>Hca</c> blocks whose
/// <c>[port] "peer"[peerport]</c> lines are the cables (each reported from both ends, counted once). Switch names come
/// from their node description (<c>MF0;A09-P1-IBLEAF-04-04:MQM9701/U1</c> → <c>a09-p1-ibleaf-04-04</c>, director
/// ASICs as <c>chassis-l01</c>), else <c>sw-guid</c>; adapters named <c>host mlx5_3</c> become port <c>mlx5_3</c> of host
/// <c>host</c>; adapters with a default description (no host name) become a host <c>ca-guid</c> with a warning; SHARP
/// aggregation nodes are not hosts. Lines that are not ibnetdiscover (a shell prompt, stderr) are warnings.
/// </summary>
public static partial class IbnetdiscoverParser
{
    public static ImportResult Parse(ImportFile file, string site)
    {
        var warnings = new List<InventoryIssue>();
        var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        var links = new Dictionary<string, Link>(StringComparer.Ordinal);
        Node? current = null;
        var lineNo = 0;
        foreach (var raw in file.Text.Split('\n'))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#' || KeyValue().IsMatch(line))
            {
                continue;
            }
            if (Header().Match(line) is { Success: true } h)
            {
                var id = h.Groups["id"].Value;
                current = nodes[id] = new Node(h.Groups["type"].Value, id, int.Parse(h.Groups["ports"].Value, CultureInfo.InvariantCulture),
                    h.Groups["desc"].Success ? h.Groups["desc"].Value.Trim() : null, lineNo);
                continue;
            }
            if (Port().Match(line) is { Success: true } p)
            {
                if (current is null)
                {
                    warnings.Add(new InventoryIssue(file.Name, lineNo, "port line before any Switch or Ca line; skipped"));
                    continue;
                }
                var port = int.Parse(p.Groups["port"].Value, CultureInfo.InvariantCulture);
                var peer = p.Groups["peer"].Value;
                var peerPort = int.Parse(p.Groups["peerport"].Value, CultureInfo.InvariantCulture);
                if (p.Groups["guid"].Success)
                {
                    current.PortGuids[port] = p.Groups["guid"].Value;
                }
                var speed = Speed(p.Groups["rest"].Value);
                var a = (current.Id, port);
                var b = (peer, peerPort);
                var key = string.CompareOrdinal(a.Id, b.peer) < 0 || (a.Id == b.peer && a.port <= b.peerPort)
                    ? $"{a.Id}[{a.port}]~{b.peer}[{b.peerPort}]" : $"{b.peer}[{b.peerPort}]~{a.Id}[{a.port}]";
                if (!links.ContainsKey(key))
                {
                    links[key] = new Link(current.Id, port, peer, peerPort, speed, lineNo);
                }
                continue;
            }
            warnings.Add(new InventoryIssue(file.Name, lineNo, $"not an ibnetdiscover line, skipped: {Clip(line)}"));
        }
        if (nodes.Count == 0)
        {
            throw new InventoryException(file.Name, [new InventoryIssue(file.Name, null, "no Switch or Ca lines: this is not ibnetdiscover output")]);
        }

        var assembler = new SiteAssembler(site) { Network = "infiniband" };
        var names = new Dictionary<string, (string Device, string? Port)>(StringComparer.Ordinal);
        var aggregation = 0;
        var unnamed = 0;
        foreach (var node in nodes.Values.Where(n => n.Type == "Switch"))
        {
            var (name, model) = SwitchName(node);
            if (assembler.IsSwitch(name))
            {
                name = $"{name}-{Tail(node.Id)}";
            }
            var sw = assembler.Switch(name);
            sw.Model = model;
            sw.Ports = node.Ports % 2 == 1 ? node.Ports - 1 : node.Ports;
            sw.Guid = Hex(node.Id) is { } g ? SiteAssembler.Guid(g) : null;
            if (node.Description is { } d && !d.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                sw.Aliases.Add(d.Replace(' ', '_'));
            }
            names[node.Id] = (name, null);
        }
        foreach (var node in nodes.Values.Where(n => n.Type != "Switch"))
        {
            if (node.Description is { } d && d.Contains("Aggregation Node", StringComparison.OrdinalIgnoreCase))
            {
                aggregation++;
                continue;
            }
            string host;
            string adapter;
            if (node.Description is { } desc && HostAdapter().Match(desc) is { Success: true } m && InventoryNames.Slug(m.Groups["host"].Value) is { } slug)
            {
                host = slug;
                adapter = m.Groups["adapter"].Value;
            }
            else if (node.Description is null && InventoryNames.Slug(node.Id) is { } simName)
            {
                host = simName;
                adapter = "hca";
            }
            else
            {
                host = "ca-" + (Hex(node.Id) ?? InventoryNames.Slug(node.Id) ?? "unknown");
                adapter = "hca";
                unnamed++;
                warnings.Add(new InventoryIssue(file.Name, node.Line, $"adapter {node.Id} has no host name (\"{node.Description}\"); imported as host {host}"));
            }
            names[node.Id] = (host, adapter);
            assembler.Host(host);
        }

        var selfLoops = 0;
        foreach (var link in links.Values)
        {
            if (!names.TryGetValue(link.A, out var a) || !names.TryGetValue(link.B, out var b))
            {
                var missing = names.ContainsKey(link.A) ? link.B : link.A;
                if (!nodes.ContainsKey(missing))
                {
                    warnings.Add(new InventoryIssue(file.Name, link.Line, $"cable to {missing}, which the dump does not describe; skipped"));
                }
                continue;
            }
            if (link.A == link.B)
            {
                selfLoops++;
                warnings.Add(new InventoryIssue(file.Name, link.Line, $"loopback cable on {a.Device} (port {link.APort} ↔ {link.BPort}); not a fabric link, skipped"));
                continue;
            }
            var aPort = Port(link.A, link.APort, a, nodes, assembler, link.Speed);
            var bPort = Port(link.B, link.BPort, b, nodes, assembler, link.Speed);
            if (a.Port is not null && b.Port is not null)
            {
                warnings.Add(new InventoryIssue(file.Name, link.Line, $"adapter-to-adapter cable {a.Device} ↔ {b.Device} without a switch; skipped"));
                continue;
            }
            assembler.Cable(a.Device, aPort, b.Device, bPort, link.Speed);
            foreach (var (id, dev) in new[] { (link.A, a), (link.B, b) })
            {
                if (dev.Port is null && link.Speed is { } s)
                {
                    var sw = assembler.Switch(dev.Device);
                    sw.PortGbps = Math.Max(sw.PortGbps ?? 0, s);
                }
            }
        }
        if (aggregation > 0)
        {
            warnings.Add(new InventoryIssue(file.Name, null, $"{aggregation} SHARP aggregation nodes are switch functions, not hosts; not imported"));
        }
        var parsed = new Dictionary<string, int>
        {
            ["switches"] = nodes.Values.Count(n => n.Type == "Switch"),
            ["cas"] = nodes.Values.Count(n => n.Type != "Switch"),
            ["links"] = links.Count,
            ["selfLoops"] = selfLoops,
            ["aggregationNodes"] = aggregation,
            ["unnamedCas"] = unnamed,
            ["hosts"] = assembler.HostCount,
            ["cables"] = assembler.CableCount,
        };
        return new ImportResult(new InventoryDocument { Name = site, Sites = [assembler.Build()] }, parsed, warnings);
    }

    private static string? Port(string id, int port, (string Device, string? Port) end, Dictionary<string, Node> nodes, SiteAssembler assembler, double? speed)
    {
        if (end.Port is null)
        {
            return port.ToString(CultureInfo.InvariantCulture);
        }
        var nic = port > 1 ? $"{end.Port}-p{port.ToString(CultureInfo.InvariantCulture)}" : end.Port;
        var guid = nodes.TryGetValue(id, out var node) && node.PortGuids.TryGetValue(port, out var g) ? g : Hex(id);
        var host = assembler.Host(end.Device);
        host.Nic(nic, guid is null ? null : SiteAssembler.Guid(guid), speedGbps: speed);
        return nic;
    }

    private static (string Name, string? Model) SwitchName(Node node)
    {
        var desc = node.Description;
        if (desc is null)
        {
            return (InventoryNames.Slug(node.Id) ?? "switch", null);
        }
        if (Mf0().Match(desc) is { Success: true } m)
        {
            var parts = m.Groups["model"].Value.Split('/');
            var chassis = m.Groups["name"].Value;
            // directors (CS7500, CS8500) name each ASIC chassis:model/L01/U1 or /S01/U1
            var asic = parts.Skip(1).FirstOrDefault(p => !p.StartsWith('U'));
            var name = InventoryNames.Slug(asic is null ? chassis : chassis + "-" + asic);
            return (name ?? "sw-" + Tail(node.Id), parts[0]);
        }
        // Voltaire: "Voltaire 4036 # hoibp0013" names the switch after the '#'
        var hash = desc.IndexOf('#');
        if (hash >= 0 && desc[(hash + 1)..].Trim() is { Length: > 0 } after && !after.Contains(' ') && InventoryNames.Slug(after) is { } named)
        {
            return (named, desc[..hash].Trim());
        }
        if (!desc.Contains(' '))
        {
            // sp69.cn.a0807.qm8790.krskp: the first label is the switch, the rest its domain
            return (InventoryNames.Slug(desc.Split('.')[0]) ?? "sw-" + Tail(node.Id), null);
        }
        return ("sw-" + (Hex(node.Id) ?? Tail(node.Id)), desc);
    }

    private static double? Speed(string rest)
    {
        var m = WidthSpeed().Match(rest);
        if (!m.Success)
        {
            return null;
        }
        var width = int.Parse(m.Groups["w"].Value, CultureInfo.InvariantCulture);
        var lane = m.Groups["s"].Value.ToUpperInvariant() switch
        {
            "SDR" => 2.5,
            "DDR" => 5,
            "QDR" or "FDR10" => 10,
            "FDR" => 14,
            "EDR" => 25,
            "HDR" => 50,
            "NDR" => 100,
            "XDR" => 200,
            _ => 0,
        };
        return lane > 0 ? width * lane : null;
    }

    private static string? Hex(string id) => id.Length > 2 && id[1] == '-' && id[2..].All(char.IsAsciiHexDigit) ? id[2..].ToLowerInvariant() : null;

    private static string Tail(string id) => id.Length > 6 ? id[^6..].ToLowerInvariant() : id.ToLowerInvariant();

    private static string Clip(string s) => s.Length > 80 ? s[..80] + "…" : s;

    private sealed record Node(string Type, string Id, int Ports, string? Description, int Line)
    {
        public Dictionary<int, string> PortGuids { get; } = [];
    }

    private sealed record Link(string A, int APort, string B, int BPort, double? Speed, int Line);

    [GeneratedRegex(@"^[a-z]+=\S+$")]
    private static partial Regex KeyValue();

    [GeneratedRegex(@"^(?<type>Switch|Ca|Hca|Rt)\s+(?<ports>\d+)\s+""(?<id>[^""]+)""(?:\s*#\s*""(?<desc>[^""]*)"")?")]
    private static partial Regex Header();

    [GeneratedRegex(@"^\[(?<port>\d+)\](?:\((?<guid>[0-9a-fA-F]+)\))?\s*""(?<peer>[^""]+)""\[(?<peerport>\d+)\](?:\([0-9a-fA-F]+\))?(?<rest>.*)$")]
    private static partial Regex Port();

    [GeneratedRegex(@"(?<w>\d+)x(?<s>SDR|DDR|QDR|FDR10|FDR|EDR|HDR|NDR|XDR)\b", RegexOptions.IgnoreCase)]
    private static partial Regex WidthSpeed();

    [GeneratedRegex(@"^MF0;(?<name>[^:]+):(?<model>\S+)")]
    private static partial Regex Mf0();

    [GeneratedRegex(@"^(?<host>\S+)\s+(?<adapter>mlx\d+_\d+|HCA-?\d+|ibp\S+|ib\d+|hfi\d+_\d+)$", RegexOptions.IgnoreCase)]
    private static partial Regex HostAdapter();
}
