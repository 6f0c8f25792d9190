using Twin.Model.Devices;
using Twin.Model.Topology;

namespace Twin.Model.Storage;

/// <summary>
/// Where a site's checkpoint restores read from: the hot (NVMe) tier while any of it is up, else the capacity
/// tier. Checkpoints are written to the hot tier and drained to capacity behind it, so with the hot tier gone a
/// restore falls back to the slower copy. A degraded node serves half its bandwidth.
/// </summary>
public static class RestoreSource
{
    /// <summary>
    /// With every node of a site down a restore waits; this trickle (1 MB/s) keeps its planned end finite until the
    /// storage is back and the plan is made again.
    /// </summary>
    public const double TrickleBytesPerSecond = 1e6;

    /// <summary>What a site's restore schedule shares out: <see cref="ReadBytesPerSecond"/>, never below the trickle.</summary>
    public static double PoolBytesPerSecond(IEnumerable<(DeviceDescriptor Node, DeviceHealth Health)> storage) =>
        Math.Max(TrickleBytesPerSecond, ReadBytesPerSecond(storage));

    /// <summary>Read bandwidth (bytes/s) the site's restores share, given each storage node and its health.</summary>
    public static double ReadBytesPerSecond(IEnumerable<(DeviceDescriptor Node, DeviceHealth Health)> storage)
    {
        double hot = 0, capacity = 0;
        foreach (var (node, health) in storage)
        {
            var gbps = node.MaxReadGBps * health.CapacityShare();
            if (node.StorageTier == StorageTier.Hot)
            {
                hot += gbps;
            }
            else
            {
                capacity += gbps;
            }
        }
        return (hot > 0 ? hot : capacity) * 1e9;
    }
}
