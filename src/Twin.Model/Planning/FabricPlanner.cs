using Twin.Model.Fabric;

namespace Twin.Model.Planning;

/// <summary>
/// What-if planner for a site's scale-out fat tree: how many switches, links and optics a GPU count
/// needs, what they draw, what latency a packet sees and what the energy costs.
/// </summary>
/// <remarks>
/// Port speed versus NIC speed: links run at min(NIC, port). A NIC slower than the ports takes a
/// breakout port, so the switch offers silicon/NIC ports (51.2T at 800G with 400G NICs → 128 × 400G).
/// A NIC faster than the ports spreads over NIC/port parallel planes, each its own fat tree joining
/// every GPU (an 800G NIC on 200G lanes → 4 planes), as multi-plane CPO fabrics are built.
/// Oversubscription applies at the leaves only (the usual design); higher tiers stay non-blocking.
/// </remarks>
public static class FabricPlanner
{
    private static readonly string[] SwitchTierNames = ["leaf", "spine", "core"];
    private static readonly string[] LinkTierNames = ["gpu-leaf", "leaf-spine", "spine-core"];

    /// <summary>Plans the fabric <paramref name="request"/> asks for; throws <see cref="FabricPlanException"/> naming the bad field.</summary>
    public static FabricPlan Plan(FabricPlanRequest request, PlanParameters? parameters = null)
    {
        var p = parameters ?? PlanParameters.Default;
        Validate(request);
        var (siliconTbps, portGbps) = Switch(request);

        var linkGbps = Math.Min(portGbps, request.NicGbps);
        var radix = FatTree.Radix(siliconTbps, linkGbps);
        if (radix < 2 || radix % 2 != 0)
        {
            throw new FabricPlanException(request.SwitchRadix is null ? "siliconTbps" : "switchRadix",
                $"switchRadix must be even and ≥ 2 ({siliconTbps:0.###} Tbps at {linkGbps:0.###}G gives {radix})");
        }
        var planes = (int)Math.Ceiling(request.NicGbps / linkGbps - 1e-9);

        // Leaves put `down` ports towards GPUs and `up` towards spines; down/up ≈ oversubscription.
        var os = request.Oversubscription;
        var down = (int)Math.Floor(radix * os / (1 + os) + 1e-9);
        var up = (int)Math.Ceiling(down / os - 1e-9);
        var tiers = Tiers(request, radix, down);

        // Counts for one plane, then every plane.
        var half = radix / 2;
        long gpus = request.Gpus;
        long leaves = tiers == 1 ? 1 : FatTree.CeilDiv(gpus, down);
        long[] switches;
        long[] links;
        switch (tiers)
        {
            case 1:
                switches = [1];
                links = [gpus];
                break;
            case 2:
                switches = [leaves, FatTree.CeilDiv(leaves * up, radix)];
                links = [gpus, leaves * up];
                break;
            default:
                var pods = FatTree.CeilDiv(leaves, half);
                var aggregation = pods * up;
                switches = [leaves, aggregation, FatTree.CeilDiv(aggregation * half, radix)];
                links = [gpus, leaves * up, aggregation * half];
                break;
        }
        switches = [.. switches.Select(s => s * planes)];
        links = [.. links.Select(l => l * planes)];

        var linkTiers = new PlanLinkTier[tiers];
        for (var t = 0; t < tiers; t++)
        {
            var optics = PerTier(request.Optics, t, tiers, "optics");
            if (!p.Optics.TryGetValue(optics, out var tech))
            {
                throw new FabricPlanException("optics", "optics must be one of dsp, lpo, cpo, aec, dac");
            }
            var length = PerTier(request.LinkLengthsM, t, tiers, "linkLengthsM");
            if (!(length >= 0))
            {
                throw new FabricPlanException("linkLengthsM", "linkLengthsM must be ≥ 0");
            }
            if (length > tech.MaxReachM)
            {
                throw new FabricPlanException("linkLengthsM",
                    $"linkLengthsM[{t}] = {length:0.###} m exceeds the {OpticsTechnology.Name(optics)} reach of {tech.MaxReachM:0.###} m");
            }
            // the GPU–leaf tier's NIC end may differ from its switch end (a CPO switch meets a pluggable NIC)
            var nicEnd = t == 0 ? NicEnd(request, optics, p) : tech;
            OpticsTechnology[] ends = [tech, nicEnd];
            linkTiers[t] = new PlanLinkTier(
                LinkTierNames[t], optics, length, links[t],
                Transceivers: links[t] * ends.Count(e => e.IsOptical && e.Optics != OpticType.Cpo),
                CpoPorts: links[t] * ends.Count(e => e.Optics == OpticType.Cpo),
                PowerW: links[t] * ends.Sum(e => e.WattsPerEnd(linkGbps)))
            {
                NicOptics = nicEnd.Optics,
            };
        }

        var asicKw = switches.Sum() * siliconTbps * p.SwitchWattsPerTbps / 1000.0;
        var opticsKw = linkTiers.Sum(t => t.PowerW) / 1000.0;
        var annualKwh = (asicKw + opticsKw) * p.HoursPerYear;
        // Half the GPUs talk to the other half; above the leaves only the leaf uplinks can limit that.
        var crossing = tiers == 1 ? gpus : Math.Min(gpus, leaves * up);
        return new FabricPlan
        {
            Tiers = tiers,
            SiliconTbps = siliconTbps,
            Radix = radix,
            PortGbps = linkGbps,
            Planes = planes,
            SwitchesPerTier = switches,
            LinkTiers = linkTiers,
            NvlinkDomains = FatTree.CeilDiv(gpus, request.GpusPerNvlinkDomain),
            AsicPowerKw = asicKw,
            PowerPerGpuW = (asicKw + opticsKw) * 1000.0 / gpus,
            Hops = WorstPath(linkTiers, p),
            AnnualEnergyKwh = annualKwh,
            AnnualEnergyCost = annualKwh * request.ElectricityPricePerKwh,
            BisectionTbps = planes * linkGbps * crossing / 2.0 / 1000.0,
        };
    }

    /// <summary>
    /// Plans <paramref name="request"/> with DSP, LPO and CPO optics on every optical tier (copper tiers stay copper)
    /// and reports each one's savings against DSP. The CPO column runs the same silicon at
    /// <see cref="PlanParameters.CpoLaneGbps"/> (102.4T at 200G → radix 512, an 800G NIC over 4 planes) with the
    /// fewest tiers that radix needs, so its savings combine cheaper optics and any tier the radix removes;
    /// set <see cref="PlanParameters.CpoLaneGbps"/> to null to compare CPO at the request's radix.
    /// </summary>
    public static FabricComparison Compare(FabricPlanRequest request, PlanParameters? parameters = null)
    {
        var p = parameters ?? PlanParameters.Default;
        var dsp = Plan(WithOptics(request, OpticType.Dsp, p), p);
        var lpo = Plan(WithOptics(request, OpticType.Lpo, p), p);
        var cpoRequest = WithOptics(request, OpticType.Cpo, p);
        if (p.CpoLaneGbps is { } lane && lane != dsp.PortGbps)
        {
            cpoRequest = cpoRequest with { SwitchRadix = null, SiliconTbps = dsp.SiliconTbps, PortGbps = lane, Tiers = null };
        }
        var cpo = Plan(cpoRequest, p);
        return new FabricComparison(Row(OpticType.Dsp, dsp, dsp), Row(OpticType.Lpo, lpo, dsp), Row(OpticType.Cpo, cpo, dsp));
    }

    private static PlanComparisonRow Row(OpticType optics, FabricPlan plan, FabricPlan dsp) => new(
        optics, plan,
        OpticsPowerSavingPct: Saving(plan.OpticsPowerKw, dsp.OpticsPowerKw),
        FabricPowerSavingPct: Saving(plan.FabricPowerKw, dsp.FabricPowerKw),
        LatencySavingNs: dsp.LatencyNs - plan.LatencyNs);

    private static double Saving(double value, double reference) => reference > 0 ? (1 - value / reference) * 100.0 : 0.0;

    private static FabricPlanRequest WithOptics(FabricPlanRequest request, OpticType optics, PlanParameters p) => request with
    {
        // the DSP and LPO columns are pluggable at both ends; the CPO column keeps what the request says of the NICs
        NicOptics = optics == OpticType.Cpo ? request.NicOptics : null,
        Optics = [.. request.Optics.Select(o => p.Optics.TryGetValue(o, out var t) && !t.IsOptical ? o : optics)],
    };

    private static void Validate(FabricPlanRequest r)
    {
        if (r.Gpus < 1)
        {
            throw new FabricPlanException("gpus", "gpus must be ≥ 1");
        }
        if (r.GpusPerNvlinkDomain < 1)
        {
            throw new FabricPlanException("gpusPerNvlinkDomain", "gpusPerNvlinkDomain must be ≥ 1");
        }
        if (!(r.NicGbps > 0))
        {
            throw new FabricPlanException("nicGbps", "nicGbps must be > 0");
        }
        if (!(r.Oversubscription >= 1))
        {
            throw new FabricPlanException("oversubscription", "oversubscription must be ≥ 1 (1 = non-blocking)");
        }
        if (!(r.ElectricityPricePerKwh >= 0))
        {
            throw new FabricPlanException("electricityPricePerKwh", "electricityPricePerKwh must be ≥ 0");
        }
        if (r.Tiers is < 1 or > FatTree.MaxTiers)
        {
            throw new FabricPlanException("tiers", "tiers must be 1, 2 or 3");
        }
    }

    // A given radix wins over silicon; its ports run at portGbps, or at the NIC speed when that is absent.
    private static (double SiliconTbps, double PortGbps) Switch(FabricPlanRequest r)
    {
        if (r.PortGbps is { } port && !(port > 0))
        {
            throw new FabricPlanException("portGbps", "portGbps must be > 0");
        }
        if (r.SwitchRadix is { } radix)
        {
            if (radix < 2 || radix % 2 != 0)
            {
                throw new FabricPlanException("switchRadix", "switchRadix must be even and ≥ 2");
            }
            var portGbps = r.PortGbps ?? r.NicGbps;
            return (radix * portGbps / 1000.0, portGbps);
        }
        if (r.SiliconTbps is not { } silicon || r.PortGbps is not { } speed)
        {
            throw new FabricPlanException("switchRadix", "siliconTbps and portGbps or switchRadix required");
        }
        if (!(silicon > 0))
        {
            throw new FabricPlanException("siliconTbps", "siliconTbps must be > 0");
        }
        return (silicon, speed);
    }

    private static int Tiers(FabricPlanRequest r, int radix, int down)
    {
        long Capacity(int tiers) => tiers switch
        {
            1 => radix,
            2 => (long)radix * down,
            _ => (long)radix * (radix / 2) * down,
        };
        if (r.Tiers is { } tiers)
        {
            return r.Gpus <= Capacity(tiers) ? tiers
                : throw new FabricPlanException("tiers", $"{tiers} tier(s) of radix {radix} join at most {Capacity(tiers):N0} GPUs");
        }
        for (var t = 1; t <= FatTree.MaxTiers; t++)
        {
            if (r.Gpus <= Capacity(t))
            {
                return t;
            }
        }
        throw new FabricPlanException("gpus", $"{r.Gpus:N0} GPUs at radix {radix} needs more than 3 tiers");
    }

    private static T PerTier<T>(IReadOnlyList<T> values, int tier, int tiers, string field) => values.Count switch
    {
        0 => throw new FabricPlanException(field, $"{field} needs at least one value"),
        1 => values[0],
        _ when values.Count < tiers => throw new FabricPlanException(field, $"{field} needs 1 or {tiers} values (one per tier)"),
        _ => values[tier],
    };

    // The NIC end of a GPU–leaf link: as declared, else the tier's optics, a DSP pluggable where the switch is CPO.
    private static OpticsTechnology NicEnd(FabricPlanRequest request, OpticType switchEnd, PlanParameters p)
    {
        var nic = request.NicOptics ?? (switchEnd == OpticType.Cpo ? OpticType.Dsp : switchEnd);
        return p.Optics.TryGetValue(nic, out var tech)
            ? tech
            : throw new FabricPlanException("nicOptics", "nicOptics must be one of dsp, lpo, cpo, aec, dac");
    }

    // Up through every tier to the top switch and back down: 2T links and 2T − 1 switches.
    private static PlanHop[] WorstPath(PlanLinkTier[] tiers, PlanParameters p)
    {
        PlanHop Link(PlanLinkTier t) => new(t.Name, 0, p.Optics[t.Optics].LatencyNsPerEnd + p.Optics[t.NicOptics ?? t.Optics].LatencyNsPerEnd,
            t.LengthM * p.PropagationNsPerM);
        PlanHop Switch(int tier) => new(SwitchTierNames[tier], p.SwitchLatencyNs, 0, 0);
        var hops = new List<PlanHop>();
        for (var t = 0; t < tiers.Length; t++)
        {
            hops.Add(Link(tiers[t]));
            hops.Add(Switch(t));
        }
        for (var t = tiers.Length - 1; t >= 0; t--)
        {
            hops.Add(Link(tiers[t]));
            if (t > 0)
            {
                hops.Add(Switch(t - 1));
            }
        }
        return [.. hops];
    }
}
