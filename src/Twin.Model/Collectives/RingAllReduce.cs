namespace Twin.Model.Collectives;

/// <summary>
/// Ring all-reduce (reduce-scatter then all-gather round a ring): 2(p−1) steps, each moving n/p bytes,
/// so time ≈ 2(p−1)·α + 2(p−1)/p · n/B (Patarasuk &amp; Yuan 2009; the NCCL ring).
/// </summary>
public static class RingAllReduce
{
    /// <summary>Seconds to all-reduce <paramref name="bytes"/> over <paramref name="ranks"/> ranks.</summary>
    public static double Seconds(double bytes, int ranks, double bandwidthBytesPerSecond, double alphaSeconds)
    {
        CollectiveArgs.Check(bytes, ranks, bandwidthBytesPerSecond, alphaSeconds);
        var p = (double)ranks;
        return 2 * (p - 1) * alphaSeconds + 2 * (p - 1) / p * bytes / bandwidthBytesPerSecond;
    }
}
