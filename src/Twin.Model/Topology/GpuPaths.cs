using System.Collections.Frozen;
using Twin.Model.Devices;
using Twin.Model.Fabric;

namespace Twin.Model.Topology;

/// <summary>
/// Which GPUs stand behind each device of their path into the fabric: a GPU behind itself, behind its NIC
/// (gpu-leaf) link, and behind the leaf that link lands on. Built once from the topology's links.
/// </summary>
public sealed class GpuPaths
{
    private readonly FrozenDictionary<string, string[]> _behind;
    private readonly FrozenDictionary<string, (string Link, string Leaf)> _pathOf;

    public GpuPaths(IReadOnlyList<DeviceDescriptor> devices)
    {
        var behind = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var pathOf = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var d in devices)
        {
            if (d.Kind == DeviceKind.Gpu)
            {
                Add(behind, d.Id, d.Id);
            }
            else if (d is { LinkTier: LinkTier.GpuLeaf, EndpointA: { } gpu, EndpointB: { } leaf })
            {
                Add(behind, d.Id, gpu);
                Add(behind, leaf, gpu);
                pathOf[gpu] = (d.Id, leaf);
            }
        }
        _behind = behind.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
        _pathOf = pathOf.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static void Add(Dictionary<string, List<string>> behind, string device, string gpu)
    {
        if (!behind.TryGetValue(device, out var gpus))
        {
            behind[device] = gpus = [];
        }
        gpus.Add(gpu);
    }

    /// <summary>The GPUs a device's condition decides the usability of (none for devices off every GPU's path).</summary>
    public IReadOnlyList<string> GpusBehind(string deviceId) => _behind.GetValueOrDefault(deviceId) ?? [];

    /// <summary>A GPU's NIC link and leaf switch, when it is cabled.</summary>
    public bool TryGetPath(string gpu, out string nicLink, out string leaf)
    {
        if (_pathOf.TryGetValue(gpu, out var path))
        {
            (nicLink, leaf) = path;
            return true;
        }
        nicLink = leaf = "";
        return false;
    }

    /// <summary>The devices whose condition decides whether a GPU can take work: itself, its NIC link, its leaf.</summary>
    public IEnumerable<string> PathOf(string gpu)
    {
        yield return gpu;
        if (_pathOf.TryGetValue(gpu, out var path))
        {
            yield return path.Link;
            yield return path.Leaf;
        }
    }

    /// <summary>How many distinct leaves a set of GPUs is cabled to.</summary>
    public int LeavesUnder(IEnumerable<string> gpus)
    {
        var leaves = new HashSet<string>(StringComparer.Ordinal);
        foreach (var gpu in gpus)
        {
            if (_pathOf.TryGetValue(gpu, out var path))
            {
                leaves.Add(path.Leaf);
            }
        }
        return leaves.Count;
    }
}
