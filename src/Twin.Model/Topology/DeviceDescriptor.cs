using Twin.Model.Devices;
using Twin.Model.Fabric;

namespace Twin.Model.Topology;

/// <summary>
/// The static facts of one device as the topology defines them (what it is, where, what it joins).
/// Live state lives in its grain; this is the same on every silo because generation is deterministic.
/// </summary>
public sealed record DeviceDescriptor(string Id, DeviceKind Kind, string Site)
{
    /// <summary>Host short name (<c>h0012</c>) for GPUs and DPUs.</summary>
    public string? Host { get; init; }

    /// <summary>GPU index within its host, also its rail.</summary>
    public int Index { get; init; }

    /// <summary>GPU model, switch silicon, storage tier, ...</summary>
    public string? Model { get; init; }

    /// <summary>
    /// Switch tier (<c>leaf</c>, <c>spine</c>, <c>core</c>), link tier (<c>gpu-leaf</c>, <c>leaf-spine</c>, <c>spine-core</c>)
    /// or storage tier (<c>hot</c>, <c>capacity</c>) as ids and filters spell it; rules read the typed
    /// <see cref="SwitchTier"/>, <see cref="LinkTier"/> and <see cref="StorageTier"/>.
    /// </summary>
    public string? Tier
    {
        get => _tier;
        init
        {
            _tier = value;
            SwitchTier = Kind == DeviceKind.Switch ? FabricNames.ParseSwitchTier(value) : null;
            LinkTier = Kind == DeviceKind.Link ? FabricNames.ParseLinkTier(value) : null;
            StorageTier = Kind != DeviceKind.Storage ? null : value switch
            {
                "hot" => Topology.StorageTier.Hot,
                "capacity" => Topology.StorageTier.Capacity,
                _ => null,
            };
        }
    }

    private readonly string? _tier;

    public SwitchTier? SwitchTier { get; private init; }

    public LinkTier? LinkTier { get; private init; }

    public StorageTier? StorageTier { get; private init; }

    /// <summary>NVLink domain number within the site (GPUs of one domain share it).</summary>
    public int NvlinkDomain { get; init; } = -1;

    /// <summary>Link endpoints: device ids, or site names for DCI links.</summary>
    public string? EndpointA { get; init; }

    public string? EndpointB { get; init; }

    public double SpeedGbps { get; init; }

    public OpticType? Optics { get; init; }

    public double LengthM { get; init; }

    public int Radix { get; init; }

    public double SiliconTbps { get; init; }

    public double CapacityTB { get; init; }

    public double MaxReadGBps { get; init; }

    public double MaxWriteGBps { get; init; }

    public double DistanceKm { get; init; }

    public double BufferMB { get; init; }

    /// <summary>Index of this device within the topology's ordered list (stable paging order).</summary>
    public int Ordinal { get; init; }
}
