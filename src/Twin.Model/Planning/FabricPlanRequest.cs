using Twin.Model.Fabric;

namespace Twin.Model.Planning;

/// <summary>
/// A what-if question for one site's scale-out fabric. Give either <see cref="SwitchRadix"/> or
/// <see cref="SiliconTbps"/> with <see cref="PortGbps"/>. Per-tier lists are indexed by link tier
/// (0 = GPU–leaf, 1 = leaf–spine, 2 = spine–core); a single value applies to every tier.
/// </summary>
public sealed record FabricPlanRequest
{
    /// <summary>GPUs to join, each with one scale-out NIC.</summary>
    public required int Gpus { get; init; }

    /// <summary>GPUs per NVLink domain (8 for HGX, 72 for NVL72); reported, the scale-out fabric still reaches every GPU.</summary>
    public int GpusPerNvlinkDomain { get; init; } = 8;

    /// <summary>Scale-out NIC speed per GPU.</summary>
    public double NicGbps { get; init; } = 800;

    /// <summary>Switch ports; when given without <see cref="PortGbps"/>, ports run at the NIC speed.</summary>
    public int? SwitchRadix { get; init; }

    /// <summary>Switch silicon bandwidth (51.2, 102.4).</summary>
    public double? SiliconTbps { get; init; }

    /// <summary>Switch port speed (200, 400, 800, 1600).</summary>
    public double? PortGbps { get; init; }

    /// <summary>Leaf downlink to uplink bandwidth ratio: 1 is non-blocking, 2 puts twice as many ports down as up.</summary>
    public double Oversubscription { get; init; } = 1.0;

    /// <summary>Link technology per tier (one value for all tiers, or one per tier).</summary>
    public IReadOnlyList<OpticType> Optics { get; init; } = [OpticType.Dsp];

    /// <summary>
    /// What the NIC end of a GPU–leaf link is: null takes the tier's optics, except that a co-packaged (CPO) switch
    /// still meets a DSP pluggable at the NIC unless the NIC is declared CPO as well.
    /// </summary>
    public OpticType? NicOptics { get; init; }

    /// <summary>Typical link length per tier in metres (one value for all tiers, or one per tier).</summary>
    public IReadOnlyList<double> LinkLengthsM { get; init; } = [5, 50, 200];

    /// <summary>Electricity price per kWh, in whatever currency the caller reports costs in.</summary>
    public double ElectricityPricePerKwh { get; init; } = 0.10;

    /// <summary>Switch tiers (1–3); null plans the fewest that join every GPU.</summary>
    public int? Tiers { get; init; }
}
