using System.Text.Json;
using Twin.Model.Fabric;
using Twin.Model.Planning;

namespace Twin.Api.Views;

/// <summary>
/// Body of the planning endpoints. <c>optics</c> is one technology for every tier (<c>"lpo"</c>) or one per
/// tier (<c>["dac","lpo","dsp"]</c>); give <c>switchRadix</c>, or <c>siliconTbps</c> with <c>portGbps</c>.
/// <c>nicOptics</c> is the NIC end of GPU–leaf links (default: the tier's optics, a DSP pluggable facing a CPO switch).
/// </summary>
public sealed record FabricPlanBody(
    int? Gpus,
    int? GpusPerNvlinkDomain,
    double? NicGbps,
    int? SwitchRadix,
    double? SiliconTbps,
    double? PortGbps,
    double? Oversubscription,
    JsonElement? Optics,
    double[]? LinkLengthsM,
    double? ElectricityPricePerKwh,
    int? Tiers,
    string? Site = null,
    int? GpusPerHost = null,
    string? GpuModel = null,
    string? NicOptics = null)
{
    /// <summary>The model's request; throws <see cref="FabricPlanException"/> naming the field that is wrong.</summary>
    public FabricPlanRequest ToRequest()
    {
        if (Gpus is null)
        {
            throw new FabricPlanException("gpus", "gpus is required");
        }
        var defaults = new FabricPlanRequest { Gpus = Gpus.Value };
        return defaults with
        {
            GpusPerNvlinkDomain = GpusPerNvlinkDomain ?? defaults.GpusPerNvlinkDomain,
            NicGbps = NicGbps ?? defaults.NicGbps,
            SwitchRadix = SwitchRadix,
            SiliconTbps = SiliconTbps,
            PortGbps = PortGbps,
            Oversubscription = Oversubscription ?? defaults.Oversubscription,
            Optics = ParseOptics() ?? defaults.Optics,
            LinkLengthsM = LinkLengthsM ?? defaults.LinkLengthsM,
            ElectricityPricePerKwh = ElectricityPricePerKwh ?? defaults.ElectricityPricePerKwh,
            Tiers = Tiers,
            NicOptics = NicOptics is null ? null : OpticsTechnology.Parse(NicOptics, "nicOptics"),
        };
    }

    private IReadOnlyList<OpticType>? ParseOptics() => Optics switch
    {
        null => null,
        { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } s => [OpticsTechnology.Parse(s.GetString()!)],
        { ValueKind: JsonValueKind.Array } a => a.EnumerateArray()
            .Select((e, i) => e.ValueKind == JsonValueKind.String
                ? OpticsTechnology.Parse(e.GetString()!, $"optics[{i}]")
                : throw new FabricPlanException($"optics[{i}]", $"optics[{i}] must be one of dsp, lpo, cpo, aec, dac"))
            .ToList(),
        _ => throw new FabricPlanException("optics", "optics must be a technology name or a list of them, one per tier"),
    };
}
