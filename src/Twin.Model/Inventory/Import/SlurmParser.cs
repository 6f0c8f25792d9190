using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Twin.Model.Inventory.Import;

/// <summary>
/// Reads a Slurm <c>topology.conf</c>. topology/tree: <c>SwitchName=s Switches=…</c> and <c>SwitchName=s Nodes=…</c>
/// with hostlist ranges (<c>srv[1101-1108,2101]</c>, zero padding kept); leaves carry nodes, the other tiers follow
/// from the tree. topology/block: <c>BlockName=b Nodes=…</c> makes each block one NVLink domain.
/// <c># name=alias</c> comment lines give switches their other names.
/// </summary>
public static partial class SlurmParser
{
    public const int MaxExpansion = 1_000_000;

    public static ImportResult Parse(ImportFile file, string site)
    {
        var warnings = new List<InventoryIssue>();
        var assembler = new SiteAssembler(site);
        var aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var lineNo = 0;
        var switches = 0;
        var blocks = 0;
        var nodeNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var links = 0;
        foreach (var raw in file.Text.Split('\n'))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.StartsWith('#'))
            {
                if (AliasComment().Match(line) is { Success: true } alias)
                {
                    aliases[alias.Groups["name"].Value] = alias.Groups["alias"].Value;
                }
                continue;
            }
            if (line.Length == 0)
            {
                continue;
            }
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var token in line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = token.IndexOf('=');
                if (eq <= 0)
                {
                    fields.Clear();
                    break;
                }
                fields[token[..eq]] = token[(eq + 1)..];
            }
            try
            {
                if (fields.TryGetValue("SwitchName", out var switchName) && InventoryNames.Slug(switchName) is { } sw)
                {
                    switches++;
                    var draft = assembler.Switch(sw);
                    if (fields.TryGetValue("Switches", out var children))
                    {
                        foreach (var child in Expand(children).Select(InventoryNames.Slug).OfType<string>())
                        {
                            assembler.Switch(child);
                            links += assembler.Cable(sw, null, child, null) ? 1 : 0;
                        }
                    }
                    if (fields.TryGetValue("Nodes", out var nodes))
                    {
                        draft.Tier = "leaf";
                        foreach (var node in Expand(nodes).Select(InventoryNames.Slug).OfType<string>())
                        {
                            nodeNames.Add(node);
                            var host = assembler.Host(node);
                            var nic = "rail" + host.Nics.Count.ToString(CultureInfo.InvariantCulture);
                            host.Nic(nic);
                            links += assembler.Cable(node, nic, sw, null) ? 1 : 0;
                        }
                    }
                    if (fields.TryGetValue("LinkSpeed", out var speed) && double.TryParse(speed, NumberStyles.Float, CultureInfo.InvariantCulture, out var s))
                    {
                        draft.PortGbps = s;
                    }
                    continue;
                }
                if (fields.TryGetValue("BlockName", out var blockName) && fields.TryGetValue("Nodes", out var blockNodes))
                {
                    foreach (var node in Expand(blockNodes).Select(InventoryNames.Slug).OfType<string>())
                    {
                        nodeNames.Add(node);
                        var host = assembler.Host(node);
                        host.NvlinkDomain = blocks;
                        host.Pod = InventoryNames.Slug(blockName);
                    }
                    blocks++;
                    continue;
                }
                if (fields.ContainsKey("BlockSizes"))
                {
                    warnings.Add(new InventoryIssue(file.Name, lineNo, "BlockSizes is a scheduling rule, not inventory; ignored"));
                    continue;
                }
            }
            catch (FormatException e)
            {
                warnings.Add(new InventoryIssue(file.Name, lineNo, e.Message));
                continue;
            }
            warnings.Add(new InventoryIssue(file.Name, lineNo, $"not a SwitchName= or BlockName= line, skipped: {(line.Length > 80 ? line[..80] + "…" : line)}"));
        }
        if (switches == 0 && blocks == 0)
        {
            throw new InventoryException(file.Name, [new InventoryIssue(file.Name, null, "no SwitchName= or BlockName= lines: this is not a Slurm topology.conf")]);
        }
        foreach (var (name, alias) in aliases)
        {
            if (InventoryNames.Slug(name) is { } n && assembler.IsSwitch(n) && InventoryNames.Slug(alias) is { } a)
            {
                assembler.Switch(n).Aliases.Add(a);
            }
        }
        var parsed = new Dictionary<string, int>
        {
            ["switches"] = switches,
            ["blocks"] = blocks,
            ["nodes"] = nodeNames.Count,
            ["links"] = links,
            ["hosts"] = assembler.HostCount,
            ["cables"] = assembler.CableCount,
        };
        return new ImportResult(new InventoryDocument { Name = site, Sites = [assembler.Build()] }, parsed, warnings);
    }

    /// <summary>Expands a Slurm hostlist (<c>a[1-3,7],b[01-02]c</c>) into names; throws FormatException on bad ranges.</summary>
    public static IReadOnlyList<string> Expand(string hostlist)
    {
        var result = new List<string>();
        foreach (var item in SplitTop(hostlist))
        {
            var names = new List<string> { "" };
            var i = 0;
            while (i < item.Length)
            {
                var open = item.IndexOf('[', i);
                if (open < 0)
                {
                    names = names.Select(n => n + item[i..]).ToList();
                    break;
                }
                var close = item.IndexOf(']', open);
                if (close < 0)
                {
                    throw new FormatException($"hostlist '{hostlist}' has an unclosed '['");
                }
                var prefix = item[i..open];
                var values = new List<string>();
                foreach (var range in item[(open + 1)..close].Split(','))
                {
                    var dash = range.IndexOf('-');
                    if (dash < 0)
                    {
                        values.Add(range);
                        continue;
                    }
                    var lo = range[..dash];
                    var hi = range[(dash + 1)..];
                    if (!long.TryParse(lo, NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                        || !long.TryParse(hi, NumberStyles.None, CultureInfo.InvariantCulture, out var to) || to < from)
                    {
                        throw new FormatException($"hostlist '{hostlist}' has a bad range '{range}'");
                    }
                    if (to - from + values.Count > MaxExpansion)
                    {
                        throw new FormatException($"hostlist '{hostlist}' expands to more than {MaxExpansion:N0} names");
                    }
                    for (var v = from; v <= to; v++)
                    {
                        values.Add(v.ToString(CultureInfo.InvariantCulture).PadLeft(lo.Length, '0'));
                    }
                }
                names = names.SelectMany(n => values.Select(v => n + prefix + v)).ToList();
                if (names.Count > MaxExpansion)
                {
                    throw new FormatException($"hostlist '{hostlist}' expands to more than {MaxExpansion:N0} names");
                }
                i = close + 1;
            }
            result.AddRange(names);
        }
        return result;
    }

    // Commas inside brackets separate ranges, outside they separate names.
    private static IEnumerable<string> SplitTop(string text)
    {
        var depth = 0;
        var current = new StringBuilder();
        foreach (var c in text)
        {
            depth += c == '[' ? 1 : c == ']' ? -1 : 0;
            if (c == ',' && depth == 0)
            {
                if (current.Length > 0)
                {
                    yield return current.ToString();
                }
                current.Clear();
                continue;
            }
            current.Append(c);
        }
        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }

    [GeneratedRegex(@"^#\s*(?<name>[^\s=]+)=(?<alias>\S+)\s*$")]
    private static partial Regex AliasComment();
}
