namespace Twin.Model.Fabric;

/// <summary>
/// Non-blocking fat-tree sizing for radix-k switches: one tier joins k end ports,
/// two tiers k²/2, three tiers k³/4 (Al-Fares et al., 2008). Each non-top switch
/// splits its ports half down, half up.
/// </summary>
public static class FatTree
{
    public const int MaxTiers = 3;

    /// <summary>End ports a non-blocking tree of <paramref name="tiers"/> tiers of radix <paramref name="radix"/> can join.</summary>
    public static long Capacity(int radix, int tiers) => tiers switch
    {
        1 => radix,
        2 => (long)radix * radix / 2,
        3 => (long)radix * radix * radix / 4,
        _ => throw new ArgumentOutOfRangeException(nameof(tiers), tiers, "a fat tree has 1 to 3 tiers"),
    };

    /// <summary>Fewest tiers that join <paramref name="endPorts"/> ports, or null when even three tiers are too few.</summary>
    public static int? MinimumTiers(long endPorts, int radix)
    {
        for (var tiers = 1; tiers <= MaxTiers; tiers++)
        {
            if (endPorts <= Capacity(radix, tiers))
            {
                return tiers;
            }
        }
        return null;
    }

    /// <summary>Radix of a switch ASIC: silicon bandwidth over port speed (102.4 Tbps at 800G → 128).</summary>
    public static int Radix(double siliconTbps, double portGbps) => (int)Math.Floor(siliconTbps * 1000.0 / portGbps + 1e-9);

    /// <summary>
    /// Switch counts per tier for <paramref name="endPorts"/> ports. Leaves take k/2 end ports each;
    /// a two-tier spine takes k leaf uplinks; in three tiers, pods of k/2 leaves and k/2 aggregation
    /// switches serve (k/2)² ports and cores take k pod uplinks each.
    /// </summary>
    public static FatTreeSize Size(long endPorts, int radix, int tiers, long? leavesOverride = null)
    {
        if (radix < 2 || radix % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(radix), radix, "radix must be an even number ≥ 2");
        }
        if (endPorts > Capacity(radix, tiers))
        {
            throw new ArgumentOutOfRangeException(nameof(endPorts), endPorts,
                $"{tiers} tier(s) of radix {radix} join at most {Capacity(radix, tiers):N0} end ports");
        }
        var half = radix / 2;
        switch (tiers)
        {
            case 1:
                return new FatTreeSize(1, 1, 0, 0);
            case 2:
            {
                var leaves = leavesOverride ?? CeilDiv(endPorts, half);
                var spines = CeilDiv(leaves * half, radix);
                return new FatTreeSize(2, leaves, spines, 0);
            }
            default:
            {
                var leaves = leavesOverride ?? CeilDiv(endPorts, half);
                var pods = CeilDiv(leaves, half);
                var aggregation = pods * half;
                var cores = CeilDiv(aggregation * half, radix);
                return new FatTreeSize(3, leaves, aggregation, cores);
            }
        }
    }

    internal static long CeilDiv(long a, long b) => (a + b - 1) / b;
}

/// <summary>Switch counts of a fat tree; <see cref="Spines"/> is the aggregation tier when there are three.</summary>
public readonly record struct FatTreeSize(int Tiers, long Leaves, long Spines, long Cores)
{
    public long Switches => Leaves + Spines + Cores;
}
