using System.Collections.Frozen;
using Twin.Model.Fabric;

namespace Twin.Model.Planning;

/// <summary>
/// Power, latency and reach of one way of carrying a link, per link end (a pluggable module, a
/// co-packaged optical port or one end of a copper cable). Power is quoted for an 800G end and
/// scales linearly with port speed (a first-order per-Gbps model).
/// </summary>
/// <param name="Optics">The technology.</param>
/// <param name="WattsPer800GEnd">Power of one 800G link end.</param>
/// <param name="LatencyNsPerEnd">Latency one link end adds (retimer/DSP/driver), so a link adds twice this.</param>
/// <param name="MaxReachM">Longest supported link.</param>
/// <param name="IsOptical">True for fibre (modules or optical engines), false for copper.</param>
public sealed record OpticsTechnology(OpticType Optics, double WattsPer800GEnd, double LatencyNsPerEnd, double MaxReachM, bool IsOptical)
{
    /// <summary>DSP pluggable power, the reference the others are quoted against.</summary>
    public const double DspWattsPer800G = 15.0;

    /// <summary>
    /// Default table, 2025 vendor figures. DSP: NVIDIA quotes ≈ 30 W for a 1.6T DSP pluggable (GTC, March 2025,
    /// Spectrum-X / Quantum-X Photonics launch), so 15 W per 800G end; its DSP retimer adds ≈ 100 ns per end; reach
    /// 2 km (FR4). LPO: the DSP removed, "up to ~50 % less" power (7.5 W) and ≈ 5–10 ns per end (take 8 ns), reach
    /// ≈ 500 m (DR-class, less signal margin). CPO: NVIDIA's 1.6T co-packaged port ≈ 9 W ("3.5× more power
    /// efficient" than pluggables), i.e. 4.5 W per 800G — in line with Broadcom's Tomahawk 6 "Davisson" CPO
    /// (2025, ≈ 70 % less optical interconnect power than pluggables); ≈ 5 ns per end, reach 2 km. AEC: retimed
    /// copper ≈ 10–12 W per end (take 11 W), ≈ 20 ns per end, reach ≈ 7 m. DAC: passive copper, ≈ 0.1 W (module ID
    /// only), no added latency, reach ≈ 3 m at 100G/lane. CPO lives in the switch: a NIC end stays a pluggable
    /// unless the NIC is declared co-packaged too (<see cref="FabricPlanRequest.NicOptics"/>).
    /// </summary>
    public static FrozenDictionary<OpticType, OpticsTechnology> Defaults { get; } = new OpticsTechnology[]
    {
        new(OpticType.Dsp, DspWattsPer800G, 100, 2_000, true),
        new(OpticType.Lpo, DspWattsPer800G * 0.50, 8, 500, true),
        new(OpticType.Cpo, 4.5, 5, 2_000, true),
        new(OpticType.Aec, 11, 20, 7, false),
        new(OpticType.Dac, 0.1, 0, 3, false),
    }.ToFrozenDictionary(t => t.Optics);

    /// <summary>Power of one link end at <paramref name="portGbps"/>.</summary>
    public double WattsPerEnd(double portGbps) => WattsPer800GEnd * portGbps / 800.0;

    /// <summary>Lower-case name as requests spell it: dsp, lpo, cpo, aec, dac.</summary>
    public static string Name(OpticType optics) => optics.ToString().ToLowerInvariant();

    /// <summary>Parses a request's optics name; anything but dsp, lpo, cpo, aec, dac is an error naming <paramref name="field"/>.</summary>
    public static OpticType Parse(string value, string field = "optics")
    {
        foreach (var type in Defaults.Keys)
        {
            if (string.Equals(Name(type), value?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return type;
            }
        }
        throw new FabricPlanException(field, $"{field} must be one of dsp, lpo, cpo, aec, dac (got '{value}')");
    }
}
