namespace Twin.Model.Collectives;

/// <summary>
/// Ring reduce-scatter of an n-byte buffer: p−1 steps of n/p bytes, time ≈ (p−1)·α + (p−1)/p · n/B;
/// each rank ends with the reduced 1/p of the buffer.
/// </summary>
public static class ReduceScatter
{
    /// <summary>Seconds to reduce-scatter <paramref name="bytes"/> (the whole input buffer) over <paramref name="ranks"/> ranks.</summary>
    public static double Seconds(double bytes, int ranks, double bandwidthBytesPerSecond, double alphaSeconds)
    {
        CollectiveArgs.Check(bytes, ranks, bandwidthBytesPerSecond, alphaSeconds);
        var p = (double)ranks;
        return (p - 1) * alphaSeconds + (p - 1) / p * bytes / bandwidthBytesPerSecond;
    }
}
