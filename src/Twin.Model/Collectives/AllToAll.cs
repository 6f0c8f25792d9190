namespace Twin.Model.Collectives;

/// <summary>
/// Pairwise all-to-all: every rank sends a distinct n/p message to each of the other p−1 ranks
/// (n = one rank's send buffer), one pair per step, so time ≈ (p−1)·α + (p−1)/p · n/B.
/// Used for expert (MoE) parallelism.
/// </summary>
public static class AllToAll
{
    /// <summary>Seconds for each rank to exchange its <paramref name="bytes"/>-byte send buffer with <paramref name="ranks"/> ranks.</summary>
    public static double Seconds(double bytes, int ranks, double bandwidthBytesPerSecond, double alphaSeconds)
    {
        CollectiveArgs.Check(bytes, ranks, bandwidthBytesPerSecond, alphaSeconds);
        var p = (double)ranks;
        return (p - 1) * alphaSeconds + (p - 1) / p * bytes / bandwidthBytesPerSecond;
    }
}
