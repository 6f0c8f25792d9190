using System.Text.Json;

namespace Twin.Model.Inventory;

/// <summary>
/// Merges an imported fragment into an inventory: sites, hosts, switches, storage and DCI circuits match by name
/// (case-insensitively), cables by their two ends; what the fragment says wins, what it leaves out is kept (a GPU UUID
/// learnt from telemetry survives a re-import of the cabling). Counts what was added and updated per kind.
/// </summary>
public static class InventoryMerge
{
    public static MergeResult Apply(InventoryDocument current, InventoryDocument fragment)
    {
        var changes = new Dictionary<string, ChangeCount>(StringComparer.Ordinal);
        void Count(string kind, bool added, bool updated)
        {
            var c = changes.GetValueOrDefault(kind) ?? new ChangeCount(0, 0);
            changes[kind] = c with { Added = c.Added + (added ? 1 : 0), Updated = c.Updated + (updated ? 1 : 0) };
        }
        var sites = current.Sites.ToList();
        foreach (var incoming in fragment.Sites)
        {
            var i = sites.FindIndex(s => s.Name == incoming.Name);
            if (i < 0)
            {
                sites.Add(incoming);
                Count("sites", true, false);
                CountAll(incoming, Count);
                continue;
            }
            var old = sites[i];
            var merged = old with
            {
                Fabric = incoming.Fabric ?? old.Fabric,
                Hosts = Merge(old.Hosts, incoming.Hosts, h => h.Name, MergeHost, "hosts", Count),
                Switches = Merge(old.Switches, incoming.Switches, s => s.Name, MergeSwitch, "switches", Count),
                Cables = Merge(old.Cables, incoming.Cables, CableKey, (o, n) => n with
                {
                    Optics = n.Optics ?? o.Optics,
                    LengthM = n.LengthM ?? o.LengthM,
                    SpeedGbps = n.SpeedGbps ?? o.SpeedGbps,
                }, "cables", Count),
                Storage = Merge(old.Storage, incoming.Storage, s => s.Name, (_, n) => n, "storage", Count),
            };
            Count("sites", false, !Same(old, merged));
            sites[i] = merged;
        }
        var dci = Merge(current.Dci, fragment.Dci, d => d.Name, (_, n) => n, "dci", Count);
        return new MergeResult(current with { Sites = sites, Dci = dci }, changes);
    }

    /// <summary>A cable's identity: its two ends, in either order, case-insensitively.</summary>
    public static string CableKey(InventoryCable c)
    {
        var a = $"{c.A.Device}|{c.A.Port}".ToLowerInvariant();
        var b = $"{c.B.Device}|{c.B.Port}".ToLowerInvariant();
        return string.CompareOrdinal(a, b) <= 0 ? a + "~" + b : b + "~" + a;
    }

    private static void CountAll(InventorySite site, Action<string, bool, bool> count)
    {
        foreach (var (kind, n) in new[] { ("hosts", site.Hosts.Count), ("switches", site.Switches.Count), ("cables", site.Cables.Count), ("storage", site.Storage.Count) })
        {
            for (var i = 0; i < n; i++)
            {
                count(kind, true, false);
            }
        }
        foreach (var gpu in site.Hosts.SelectMany(h => h.Gpus))
        {
            count("gpus", true, false);
        }
    }

    private static List<T> Merge<T>(IReadOnlyList<T> old, IReadOnlyList<T> incoming, Func<T, string> key, Func<T, T, T> merge,
        string kind, Action<string, bool, bool> count)
    {
        var result = old.ToList();
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < result.Count; i++)
        {
            index.TryAdd(key(result[i]), i);
        }
        foreach (var item in incoming)
        {
            if (index.TryGetValue(key(item), out var i))
            {
                var merged = merge(result[i], item);
                count(kind, false, !Same(result[i], merged));
                if (item is InventoryHost h && result[i] is InventoryHost o)
                {
                    foreach (var gpu in h.Gpus)
                    {
                        count("gpus", o.Gpus.All(g => g.Index != gpu.Index), false);
                    }
                }
                result[i] = merged;
            }
            else
            {
                index[key(item)] = result.Count;
                result.Add(item);
                count(kind, true, false);
                if (item is InventoryHost h)
                {
                    foreach (var gpu in h.Gpus)
                    {
                        count("gpus", true, false);
                    }
                }
            }
        }
        return result;
    }

    private static InventoryHost MergeHost(InventoryHost old, InventoryHost n)
    {
        var gpus = old.Gpus.ToDictionary(g => g.Index);
        foreach (var g in n.Gpus)
        {
            gpus[g.Index] = gpus.TryGetValue(g.Index, out var o)
                ? g with { Uuid = g.Uuid ?? o.Uuid, Model = g.Model == "unknown" ? o.Model : g.Model, NvlinkDomain = g.NvlinkDomain ?? o.NvlinkDomain }
                : g;
        }
        var nics = old.Nics.ToDictionary(x => x.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var x in n.Nics)
        {
            nics[x.Name] = nics.TryGetValue(x.Name, out var o) ? x with { Rail = x.Rail ?? o.Rail, Guid = x.Guid ?? o.Guid, Mac = x.Mac ?? o.Mac } : x;
        }
        return old with
        {
            Aliases = old.Aliases.Concat(n.Aliases).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            Pod = n.Pod ?? old.Pod,
            Rack = n.Rack ?? old.Rack,
            NvlinkDomain = n.NvlinkDomain ?? old.NvlinkDomain,
            Gpus = gpus.Values.OrderBy(g => g.Index).ToList(),
            Nics = nics.Values.ToList(),
            Dpu = n.Dpu ?? old.Dpu,
        };
    }

    private static InventorySwitch MergeSwitch(InventorySwitch old, InventorySwitch n) => old with
    {
        Aliases = old.Aliases.Concat(n.Aliases).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
        Tier = n.Tier ?? old.Tier,
        Model = n.Model ?? old.Model,
        Silicon = n.Silicon ?? old.Silicon,
        SiliconTbps = n.SiliconTbps ?? old.SiliconTbps,
        PortGbps = n.PortGbps ?? old.PortGbps,
        Ports = n.Ports ?? old.Ports,
        Guid = n.Guid ?? old.Guid,
        Pod = n.Pod ?? old.Pod,
        Optics = n.Optics ?? old.Optics,
    };

    // records holding lists compare lists by reference; their JSON compares what they say
    private static bool Same<T>(T a, T b) =>
        ReferenceEquals(a, b) || JsonSerializer.Serialize(a, InventorySerializer.Options) == JsonSerializer.Serialize(b, InventorySerializer.Options);
}

/// <summary>How many of a kind an import added and updated.</summary>
public sealed record ChangeCount(int Added, int Updated);

public sealed record MergeResult(InventoryDocument Inventory, IReadOnlyDictionary<string, ChangeCount> Changes);
