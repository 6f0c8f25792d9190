namespace Twin.Model.Storage;

/// <summary>
/// A storage system's peak and sustained bandwidth: the peak lasts while a burst fits what its fast layer absorbs
/// (caches, flash front-end), after which it runs at the sustained rate. Meta's Tectonic for Llama 3 (paper §3.3.1):
/// 240 PB on 7,500 servers, 2 TB/s sustained and 7 TB/s peak. Restores read whole checkpoints, far beyond any cache,
/// so they run at the sustained rate unless a burst size is declared.
/// </summary>
public sealed record StorageThroughput(double PeakBytesPerSecond, double SustainedBytesPerSecond, double BurstBytes = 0)
{
    public double PeakBytesPerSecond { get; init; } = PeakBytesPerSecond > 0 ? PeakBytesPerSecond
        : throw new ArgumentOutOfRangeException(nameof(PeakBytesPerSecond), PeakBytesPerSecond, "peak must be > 0");

    public double SustainedBytesPerSecond { get; init; } = SustainedBytesPerSecond > 0 && SustainedBytesPerSecond <= PeakBytesPerSecond
        ? SustainedBytesPerSecond
        : throw new ArgumentOutOfRangeException(nameof(SustainedBytesPerSecond), SustainedBytesPerSecond, "sustained must be in (0, peak]");

    public double BurstBytes { get; init; } = BurstBytes >= 0 ? BurstBytes
        : throw new ArgumentOutOfRangeException(nameof(BurstBytes), BurstBytes, "burst must be ≥ 0");

    /// <summary>Llama 3's Tectonic: 7 TB/s peak, 2 TB/s sustained, no burst declared.</summary>
    public static StorageThroughput Tectonic { get; } = new(7e12, 2e12);

    /// <summary>Seconds to move <paramref name="bytes"/>: the burst at peak, the rest at the sustained rate.</summary>
    public double Seconds(double bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        var atPeak = Math.Min(bytes, BurstBytes);
        return atPeak / PeakBytesPerSecond + (bytes - atPeak) / SustainedBytesPerSecond;
    }

    /// <summary>Average rate over <paramref name="bytes"/>: what a restore of that size reads at.</summary>
    public double AverageBytesPerSecond(double bytes) => bytes > 0 ? bytes / Seconds(bytes) : PeakBytesPerSecond;
}
