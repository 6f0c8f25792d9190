using Twin.Model.Fabric;

namespace Twin.Model.Topology;

/// <summary>A factory as its topology file describes it, before expansion into devices.</summary>
public sealed record TopologySpec(string Name, IReadOnlyList<SiteSpec> Sites, IReadOnlyList<DciSpec> Dci);

/// <summary>One site: HGX-style hosts, a rail-optimised fat tree, storage tiers, a DPU per host.</summary>
public sealed record SiteSpec(
    string Name,
    int Hosts,
    int GpusPerHost,
    string GpuModel,
    int NvlinkDomain,
    double NicGbps,
    FabricSpec Fabric,
    IReadOnlyList<StorageTierSpec> Storage,
    bool Dpus)
{
    public long Gpus => (long)Hosts * GpusPerHost;
}

/// <summary>
/// Scale-out fabric of a site. <see cref="Radix"/> is silicon over port speed unless given;
/// <see cref="Tiers"/> is the fewest that join every GPU unless given.
/// </summary>
public sealed record FabricSpec(
    string Network,
    double SiliconTbps,
    double PortGbps,
    int Radix,
    int Tiers,
    bool RailOptimised,
    TierLink GpuLeaf,
    TierLink LeafSpine,
    TierLink SpineCore)
{
    /// <summary>
    /// Leaf downlinks per uplink (two-tier fabrics): 1 is non-blocking, 2 gives each leaf half as many spine
    /// uplinks as host ports, halving the bisection.
    /// </summary>
    public double Oversubscription { get; init; } = 1;
}

/// <summary>How one tier's links are carried: optic technology and typical length.</summary>
public sealed record TierLink(OpticType Optics, double LengthM);

public enum StorageTier : byte
{
    Hot,
    Capacity,
}

public sealed record StorageTierSpec(StorageTier Tier, int Nodes, double CapacityTB, double ReadGBps, double WriteGBps);

/// <summary>Long-haul links between two sites through deep-buffer routers.</summary>
public sealed record DciSpec(string A, string B, double DistanceKm, double BandwidthGbps, int Links, double BufferMB);
