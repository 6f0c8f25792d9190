using System.Text.RegularExpressions;

namespace Twin.Model.Inventory.Import;

/// <summary>
/// Reads NVIDIA Air / Cumulus topology_converter <c>topology.dot</c>: nodes with a <c>function</c> (leaf, spine,
/// superspine, exit, host, …) and <c>"a":"port" -- "b":"port"</c> edges with optional <c>left_mac</c>/<c>right_mac</c>.
/// Out-of-band management (<c>oob-switch</c>, <c>oob-server</c>) and the simulated <c>internet</c> are not part of the
/// fabric; loopback cables (a switch port to another port of itself) are warnings.
/// </summary>
public static partial class DotParser
{
    public static ImportResult Parse(ImportFile file, string site)
    {
        var warnings = new List<InventoryIssue>();
        var functions = new Dictionary<string, (string Function, Dictionary<string, string> Attributes, int Line)>(StringComparer.OrdinalIgnoreCase);
        var edges = new List<(string A, string APort, string B, string BPort, Dictionary<string, string> Attributes, int Line)>();
        var lineNo = 0;
        var sawGraph = false;
        foreach (var raw in file.Text.Split('\n'))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal) || line.StartsWith('#') || line == "}")
            {
                continue;
            }
            if (GraphLine().IsMatch(line))
            {
                sawGraph = true;
                continue;
            }
            if (Edge().Match(line) is { Success: true } e)
            {
                edges.Add((e.Groups["a"].Value, e.Groups["ap"].Value, e.Groups["b"].Value, e.Groups["bp"].Value, Attributes(e.Groups["attrs"].Value), lineNo));
                continue;
            }
            if (NodeLine().Match(line) is { Success: true } n)
            {
                var attrs = Attributes(n.Groups["attrs"].Value);
                functions[n.Groups["name"].Value] = (attrs.GetValueOrDefault("function", "host"), attrs, lineNo);
                continue;
            }
            warnings.Add(new InventoryIssue(file.Name, lineNo, $"not a node or edge of a topology.dot, skipped: {(line.Length > 80 ? line[..80] + "…" : line)}"));
        }
        if (!sawGraph || (functions.Count == 0 && edges.Count == 0))
        {
            throw new InventoryException(file.Name, [new InventoryIssue(file.Name, null, "no 'graph' with nodes or edges: this is not a topology.dot file")]);
        }

        var assembler = new SiteAssembler(site) { Network = "ethernet" };
        var skipped = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, (function, attrs, line)) in functions)
        {
            var slug = InventoryNames.Slug(name);
            if (slug is null || function is "oob-switch" or "oob-server" or "internet" or "fake")
            {
                skipped.Add(name);
                warnings.Add(new InventoryIssue(file.Name, line, $"{name} ({function}) is not part of the scale-out fabric; not imported"));
                continue;
            }
            if (function is "host" or "server")
            {
                assembler.Host(slug);
                continue;
            }
            var sw = assembler.Switch(slug);
            sw.Tier = function switch { "leaf" or "tor" => "leaf", "spine" => "spine", "superspine" or "core" => "core", _ => null };
            sw.Model = attrs.GetValueOrDefault("os");
        }
        var selfLoops = 0;
        foreach (var (a, ap, b, bp, attrs, line) in edges)
        {
            if (skipped.Contains(a) || skipped.Contains(b))
            {
                continue;
            }
            var sa = InventoryNames.Slug(a);
            var sb = InventoryNames.Slug(b);
            if (sa is null || sb is null || !functions.ContainsKey(a) || !functions.ContainsKey(b))
            {
                warnings.Add(new InventoryIssue(file.Name, line, $"edge {a}:{ap} -- {b}:{bp} names a node the file does not declare; skipped"));
                continue;
            }
            if (sa == sb)
            {
                selfLoops++;
                warnings.Add(new InventoryIssue(file.Name, line, $"loopback cable on {a} ({ap} ↔ {bp}); not a fabric link, skipped"));
                continue;
            }
            foreach (var (dev, port, mac) in new[] { (sa, ap, attrs.GetValueOrDefault("left_mac")), (sb, bp, attrs.GetValueOrDefault("right_mac")) })
            {
                if (assembler.IsHost(dev))
                {
                    assembler.Host(dev).Nic(port, mac: mac);
                }
            }
            assembler.Cable(sa, ap, sb, bp);
        }
        var parsed = new Dictionary<string, int>
        {
            ["nodes"] = functions.Count,
            ["edges"] = edges.Count,
            ["selfLoops"] = selfLoops,
            ["switches"] = assembler.SwitchCount,
            ["hosts"] = assembler.HostCount,
            ["cables"] = assembler.CableCount,
        };
        return new ImportResult(new InventoryDocument { Name = site, Sites = [assembler.Build()] }, parsed, warnings);
    }

    private static Dictionary<string, string> Attributes(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match m in Attribute().Matches(text))
        {
            result[m.Groups["k"].Value] = m.Groups["q"].Success ? m.Groups["q"].Value : m.Groups["v"].Value;
        }
        return result;
    }

    [GeneratedRegex(@"^(strict\s+)?(di)?graph\b[^{]*\{?$", RegexOptions.IgnoreCase)]
    private static partial Regex GraphLine();

    [GeneratedRegex(@"^""(?<a>[^""]+)""\s*:\s*""(?<ap>[^""]+)""\s*--\s*""(?<b>[^""]+)""\s*:\s*""(?<bp>[^""]+)""\s*(?:\[(?<attrs>[^\]]*)\])?\s*;?$")]
    private static partial Regex Edge();

    [GeneratedRegex(@"^""(?<name>[^""]+)""\s*(?:\[(?<attrs>[^\]]*)\])?\s*;?$")]
    private static partial Regex NodeLine();

    [GeneratedRegex(@"(?<k>[A-Za-z_][\w-]*)\s*=\s*(?:""(?<q>[^""]*)""|(?<v>[^\s,\]]+))")]
    private static partial Regex Attribute();
}
