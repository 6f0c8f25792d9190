using Twin.Model.Fabric;

namespace Twin.Model.Planning;

/// <summary>
/// A planned fabric: switches, links, optics, power, worst-case latency, energy cost and bisection.
/// Switch and link counts include every plane (see <see cref="Planes"/>).
/// </summary>
public sealed record FabricPlan
{
    /// <summary>Switch tiers.</summary>
    public required int Tiers { get; init; }

    /// <summary>Switch silicon bandwidth.</summary>
    public required double SiliconTbps { get; init; }

    /// <summary>Ports per switch at <see cref="PortGbps"/>, after breakout or lane split.</summary>
    public required int Radix { get; init; }

    /// <summary>Speed every fabric link runs at.</summary>
    public required double PortGbps { get; init; }

    /// <summary>Parallel fabric planes: a NIC faster than the ports spreads over NIC/port planes (800G over 200G lanes → 4).</summary>
    public required int Planes { get; init; }

    /// <summary>Switches per tier, leaf first.</summary>
    public required IReadOnlyList<long> SwitchesPerTier { get; init; }

    /// <summary>All switches.</summary>
    public long Switches => SwitchesPerTier.Sum();

    /// <summary>Links, modules and power per link tier, GPU–leaf first.</summary>
    public required IReadOnlyList<PlanLinkTier> LinkTiers { get; init; }

    /// <summary>All links.</summary>
    public long Links => LinkTiers.Sum(t => t.Links);

    /// <summary>Pluggable optical modules (DSP, LPO): two per optical link.</summary>
    public long Transceivers => LinkTiers.Sum(t => t.Transceivers);

    /// <summary>Co-packaged optical ports: two per CPO link, counted instead of modules.</summary>
    public long CpoPorts => LinkTiers.Sum(t => t.CpoPorts);

    /// <summary>Cables: one per link, fibre or copper.</summary>
    public long Cables => Links;

    /// <summary>NVLink domains the GPUs form.</summary>
    public required long NvlinkDomains { get; init; }

    /// <summary>Switch ASIC power.</summary>
    public required double AsicPowerKw { get; init; }

    /// <summary>Power of every link end (modules, optical engines, active copper).</summary>
    public double OpticsPowerKw => LinkTiers.Sum(t => t.PowerW) / 1000.0;

    /// <summary>ASICs plus optics.</summary>
    public double FabricPowerKw => AsicPowerKw + OpticsPowerKw;

    /// <summary>Fabric power per GPU.</summary>
    public required double PowerPerGpuW { get; init; }

    /// <summary>Worst-case one-way GPU-to-GPU latency: up to the top tier and back down.</summary>
    public double LatencyNs => Hops.Sum(h => h.TotalNs);

    /// <summary>The worst-case path, element by element.</summary>
    public required IReadOnlyList<PlanHop> Hops { get; init; }

    /// <summary>Energy the fabric uses in a year at constant power.</summary>
    public required double AnnualEnergyKwh { get; init; }

    /// <summary><see cref="AnnualEnergyKwh"/> at the request's price.</summary>
    public required double AnnualEnergyCost { get; init; }

    /// <summary>Bandwidth across the worst cut into two equal halves of GPUs.</summary>
    public required double BisectionTbps { get; init; }
}

/// <summary>One link tier of a plan (GPU–leaf, leaf–spine or spine–core).</summary>
public sealed record PlanLinkTier(string Name, OpticType Optics, double LengthM, long Links, long Transceivers, long CpoPorts, double PowerW)
{
    /// <summary>The lower end's optics where it differs from <see cref="Optics"/> (the NIC end of the GPU–leaf tier).</summary>
    public OpticType? NicOptics { get; init; }
}

/// <summary>One element on the worst-case path: a switch or a link, with what it adds.</summary>
public sealed record PlanHop(string Element, double SwitchNs, double OpticsNs, double PropagationNs)
{
    public double TotalNs => SwitchNs + OpticsNs + PropagationNs;
}
