using Twin.Model.Fabric;

namespace Twin.Model.Collectives;

/// <summary>
/// One level of a hierarchical collective (NVLink domain, site fabric, DCI): how many ranks meet there,
/// the per-stream bandwidth and per-step latency α, oversubscription and packet loss.
/// </summary>
/// <remarks>
/// Loss model: RoCE NICs recover by go-back-N, so one lost packet resends everything in flight after it,
/// about a bandwidth-delay product W = B·RTT/packet of packets (RTT taken as 2α). Bytes sent per useful
/// byte ≈ 1 + loss·W, giving a goodput factor 1 / (1 + loss·W). Over long-haul DCI W is large, which is
/// why a loss rate harmless inside a hall stalls cross-site collectives.
/// </remarks>
public sealed record CollectiveLevel(
    int Ranks,
    double BandwidthBytesPerSecond,
    double AlphaSeconds,
    double Oversubscription = 1.0,
    double LossRate = 0.0,
    double PacketBytes = 4096)
{
    public int Ranks { get; init; } = Ranks >= 1 ? Ranks : throw new ArgumentOutOfRangeException(nameof(Ranks), Ranks, "ranks must be ≥ 1");

    public double BandwidthBytesPerSecond { get; init; } = BandwidthBytesPerSecond > 0 ? BandwidthBytesPerSecond
        : throw new ArgumentOutOfRangeException(nameof(BandwidthBytesPerSecond), BandwidthBytesPerSecond, "bandwidth must be > 0");

    public double AlphaSeconds { get; init; } = AlphaSeconds >= 0 ? AlphaSeconds
        : throw new ArgumentOutOfRangeException(nameof(AlphaSeconds), AlphaSeconds, "alpha must be ≥ 0");

    public double Oversubscription { get; init; } = Oversubscription >= 1 ? Oversubscription
        : throw new ArgumentOutOfRangeException(nameof(Oversubscription), Oversubscription, "oversubscription must be ≥ 1");

    public double LossRate { get; init; } = LossRate is >= 0 and < 1 ? LossRate
        : throw new ArgumentOutOfRangeException(nameof(LossRate), LossRate, "loss rate must be in [0, 1)");

    public double PacketBytes { get; init; } = PacketBytes > 0 ? PacketBytes
        : throw new ArgumentOutOfRangeException(nameof(PacketBytes), PacketBytes, "packet size must be > 0");

    /// <summary>Router latency added to DCI propagation: a deep-buffer router at each end, ≈ 5 µs each.</summary>
    public const double DefaultDciRouterSeconds = 10e-6;

    /// <summary>Packets in flight per round trip (at least one).</summary>
    public double WindowPackets => Math.Max(1.0, BandwidthBytesPerSecond / Oversubscription * 2 * AlphaSeconds / PacketBytes);

    /// <summary>Useful fraction of the bandwidth under go-back-N retransmission: 1 / (1 + loss·W).</summary>
    public double GoodputFactor => 1.0 / (1.0 + LossRate * WindowPackets);

    /// <summary>Bandwidth a stream actually gets: bandwidth / oversubscription · goodput factor.</summary>
    public double EffectiveBandwidthBytesPerSecond => BandwidthBytesPerSecond / Oversubscription * GoodputFactor;

    /// <summary>
    /// The cross-site level: <paramref name="sites"/> sites <paramref name="distanceKm"/> apart, α = fibre
    /// propagation (5 µs/km) + router latency, <paramref name="bandwidthBytesPerSecond"/> = a site's DCI capacity.
    /// </summary>
    public static CollectiveLevel Dci(int sites, double distanceKm, double bandwidthBytesPerSecond, double lossRate = 0.0,
        double routerSeconds = DefaultDciRouterSeconds) =>
        new(sites, bandwidthBytesPerSecond, FibrePropagation.OneWay(distanceKm).TotalSeconds + routerSeconds, LossRate: lossRate);
}
