namespace Twin.Model.Storage;

/// <summary>
/// Inference KV-cache lookups across tiers (HBM → host DRAM → NVMe). Each tier's hit ratio is conditional:
/// the share of lookups reaching that tier that it serves. A lookup served by a tier costs its latency plus
/// block / bandwidth; one missing every tier pays <see cref="MissPenaltySeconds"/> (recomputing the prefill).
/// </summary>
public sealed record KvCacheTiers(IReadOnlyList<KvCacheTier> Tiers, double MissPenaltySeconds = 0.0)
{
    public IReadOnlyList<KvCacheTier> Tiers { get; init; } = Tiers.Count > 0 ? Tiers
        : throw new ArgumentException("at least one tier is required", nameof(Tiers));

    public double MissPenaltySeconds { get; init; } = MissPenaltySeconds >= 0 ? MissPenaltySeconds
        : throw new ArgumentOutOfRangeException(nameof(MissPenaltySeconds), MissPenaltySeconds, "miss penalty must be ≥ 0");

    /// <summary>
    /// H100-class figures: HBM3 ≈ 3.35 TB/s at ≈ 1 µs; host DRAM over PCIe Gen5 x16 ≈ 50 GB/s achieved at
    /// ≈ 10 µs (DMA setup); local NVMe ≈ 7 GB/s at ≈ 100 µs.
    /// </summary>
    public static KvCacheTiers Typical(double hbmHitRatio, double dramHitRatio, double nvmeHitRatio, double missPenaltySeconds = 0.0) => new(
    [
        new KvCacheTier("hbm", 1e-6, 3.35e12, hbmHitRatio),
        new KvCacheTier("host-dram", 10e-6, 50e9, dramHitRatio),
        new KvCacheTier("nvme", 100e-6, 7e9, nvmeHitRatio),
    ], missPenaltySeconds);

    /// <summary>Share of all lookups served by tier <paramref name="index"/>: its hit ratio times the misses of every tier above.</summary>
    public double ServedFraction(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Tiers.Count);
        var reaching = 1.0;
        for (var i = 0; i < index; i++)
        {
            reaching *= 1 - Tiers[i].HitRatio;
        }
        return reaching * Tiers[index].HitRatio;
    }

    /// <summary>Share of lookups no tier serves.</summary>
    public double MissFraction => Tiers.Aggregate(1.0, (reaching, t) => reaching * (1 - t.HitRatio));

    /// <summary>Mean latency to fetch a <paramref name="blockBytes"/>-byte KV block.</summary>
    public double ExpectedLatencySeconds(double blockBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(blockBytes);
        var sum = MissFraction * MissPenaltySeconds;
        for (var i = 0; i < Tiers.Count; i++)
        {
            sum += ServedFraction(i) * Tiers[i].LatencySeconds(blockBytes);
        }
        return sum;
    }

    /// <summary>Share of lookups answered within <paramref name="slaSeconds"/> (compare with 0.99 for a p99 SLA).</summary>
    public double FractionWithin(double blockBytes, double slaSeconds)
    {
        var within = MissPenaltySeconds <= slaSeconds ? MissFraction : 0.0;
        for (var i = 0; i < Tiers.Count; i++)
        {
            if (Tiers[i].LatencySeconds(blockBytes) <= slaSeconds)
            {
                within += ServedFraction(i);
            }
        }
        return within;
    }

    /// <summary>True when the mean fetch latency is within the SLA.</summary>
    public bool MeetsSla(double blockBytes, double slaSeconds) => ExpectedLatencySeconds(blockBytes) <= slaSeconds;
}

/// <summary>One KV-cache tier: access latency, bandwidth, and the conditional hit ratio of lookups reaching it.</summary>
public sealed record KvCacheTier(string Name, double AccessSeconds, double BandwidthBytesPerSecond, double HitRatio)
{
    public double AccessSeconds { get; init; } = AccessSeconds >= 0 ? AccessSeconds
        : throw new ArgumentOutOfRangeException(nameof(AccessSeconds), AccessSeconds, "access latency must be ≥ 0");

    public double BandwidthBytesPerSecond { get; init; } = BandwidthBytesPerSecond > 0 ? BandwidthBytesPerSecond
        : throw new ArgumentOutOfRangeException(nameof(BandwidthBytesPerSecond), BandwidthBytesPerSecond, "bandwidth must be > 0");

    public double HitRatio { get; init; } = HitRatio is >= 0 and <= 1 ? HitRatio
        : throw new ArgumentOutOfRangeException(nameof(HitRatio), HitRatio, "hit ratio must be in [0, 1]");

    /// <summary>Time to fetch a block from this tier: access latency + bytes / bandwidth.</summary>
    public double LatencySeconds(double blockBytes) => AccessSeconds + blockBytes / BandwidthBytesPerSecond;
}
