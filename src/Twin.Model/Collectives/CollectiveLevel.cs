using Twin.Model.Fabric;

namespace Twin.Model.Collectives;

/// <summary>
/// One level of a hierarchical collective (NVLink domain, site fabric, DCI): how many ranks meet there,
/// the per-stream bandwidth and per-hop latency α, oversubscription (congestion), packet loss, how the
/// transport recovers it, and how much a stream may keep in flight.
/// </summary>
/// <remarks>
/// Loss model: with selective repeat (RDMA NICs today) a lost packet is resent alone, so goodput is 1 − loss;
/// with go-back-N (declared per transport) it resends everything in flight after it, about a bandwidth-delay
/// product W = B·RTT/packet of packets (RTT taken as 2α), giving 1 / (1 + loss·W) — over long-haul DCI W is
/// large, which is why go-back-N stalls cross-site collectives at loss rates harmless inside a hall.
/// Window: a stream that may keep only <see cref="InFlightBytes"/> unacknowledged moves at most that per RTT
/// (<see cref="NcclWindow"/>).
/// </remarks>
public sealed record CollectiveLevel(
    int Ranks,
    double BandwidthBytesPerSecond,
    double AlphaSeconds,
    double Oversubscription = 1.0,
    double LossRate = 0.0,
    double PacketBytes = 4096,
    LossRecovery Recovery = LossRecovery.SelectiveRepeat,
    double InFlightBytes = double.PositiveInfinity)
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

    public double InFlightBytes { get; init; } = InFlightBytes > 0 ? InFlightBytes
        : throw new ArgumentOutOfRangeException(nameof(InFlightBytes), InFlightBytes, "bytes in flight must be > 0");

    /// <summary>Router latency added to DCI propagation: a deep-buffer router at each end, ≈ 5 µs each.</summary>
    public const double DefaultDciRouterSeconds = 10e-6;

    /// <summary>Packets in flight per round trip (at least one).</summary>
    public double WindowPackets =>
        Math.Max(1.0, Math.Min(BandwidthBytesPerSecond / Oversubscription * 2 * AlphaSeconds, InFlightBytes) / PacketBytes);

    /// <summary>Useful fraction of the bandwidth: 1 − loss with selective repeat, 1 / (1 + loss·W) with go-back-N.</summary>
    public double GoodputFactor => Recovery == LossRecovery.GoBackN ? 1.0 / (1.0 + LossRate * WindowPackets) : 1.0 - LossRate;

    /// <summary>What the window lets a stream move per round trip (2α); unbounded without a window or latency.</summary>
    public double WindowBytesPerSecond => NcclWindow.BytesPerSecond(InFlightBytes, 2 * AlphaSeconds);

    /// <summary>Bandwidth a stream actually gets: min(bandwidth / oversubscription, window / RTT) · goodput factor.</summary>
    public double EffectiveBandwidthBytesPerSecond =>
        Math.Min(BandwidthBytesPerSecond / Oversubscription, WindowBytesPerSecond) * GoodputFactor;

    /// <summary>
    /// The cross-site level: <paramref name="sites"/> sites <paramref name="distanceKm"/> apart, α = fibre
    /// propagation (5 µs/km) + router latency, <paramref name="bandwidthBytesPerSecond"/> = a site's DCI capacity.
    /// </summary>
    public static CollectiveLevel Dci(int sites, double distanceKm, double bandwidthBytesPerSecond, double lossRate = 0.0,
        double routerSeconds = DefaultDciRouterSeconds, LossRecovery recovery = LossRecovery.SelectiveRepeat,
        double inFlightBytes = double.PositiveInfinity) =>
        new(sites, bandwidthBytesPerSecond, FibrePropagation.OneWay(distanceKm).TotalSeconds + routerSeconds, LossRate: lossRate,
            Recovery: recovery, InFlightBytes: inFlightBytes);
}
