namespace Twin.Client.Views;

/// <summary>Body of <c>POST /api/v1/plans/fabric</c>: give <c>SwitchRadix</c>, or <c>SiliconTbps</c> with <c>PortGbps</c>; optics one per tier;
/// <c>Site</c>, <c>GpusPerHost</c> and <c>GpuModel</c> shape the topology that <c>/plans/topology</c> writes.</summary>
public sealed record FabricPlanInput(
    int Gpus,
    int? GpusPerNvlinkDomain = null,
    double? NicGbps = null,
    int? SwitchRadix = null,
    double? SiliconTbps = null,
    double? PortGbps = null,
    double? Oversubscription = null,
    IReadOnlyList<string>? Optics = null,
    double[]? LinkLengthsM = null,
    double? ElectricityPricePerKwh = null,
    int? Tiers = null,
    string? Site = null,
    int? GpusPerHost = null,
    string? GpuModel = null);
