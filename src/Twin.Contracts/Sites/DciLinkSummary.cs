using Twin.Model.Devices;

namespace Twin.Contracts.Sites;

/// <summary>State of one DCI link between two sites.</summary>
[GenerateSerializer, Immutable, Alias("twin.dci-link-summary")]
public sealed record DciLinkSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string A,
    [property: Id(2)] string B,
    [property: Id(3)] double DistanceKm,
    [property: Id(4)] double LatencyMs,
    [property: Id(5)] double BandwidthGbps,
    [property: Id(6)] DeviceHealth Health,
    [property: Id(7)] double Utilization);
