namespace Twin.Model.Collectives;

/// <summary>
/// Ring all-gather into an n-byte buffer (each rank contributes n/p): time ≈ (p−1)·α + (p−1)/p · n/B,
/// the mirror image of <see cref="ReduceScatter"/>.
/// </summary>
public static class AllGather
{
    /// <summary>Seconds to all-gather <paramref name="bytes"/> (the whole output buffer) over <paramref name="ranks"/> ranks.</summary>
    public static double Seconds(double bytes, int ranks, double bandwidthBytesPerSecond, double alphaSeconds)
    {
        CollectiveArgs.Check(bytes, ranks, bandwidthBytesPerSecond, alphaSeconds);
        var p = (double)ranks;
        return (p - 1) * alphaSeconds + (p - 1) / p * bytes / bandwidthBytesPerSecond;
    }
}
