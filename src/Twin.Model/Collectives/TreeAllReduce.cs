namespace Twin.Model.Collectives;

/// <summary>
/// Double-binary-tree all-reduce as NCCL 2.4+ runs it: a pipelined reduce up and broadcast down two
/// complementary trees, each carrying half the data, so every rank sends and receives about n in each
/// phase. Time ≈ 2·⌈log2 p⌉·α + 2·n/B (Sanders, Speck &amp; Träff 2009, "Two-tree algorithms for full
/// bandwidth broadcast, reduction and scan"; NVIDIA, "Massively Scale Your Deep Learning Training with
/// NCCL 2.4", 2019). Latency grows with log p rather than p, which is why it wins at large scale.
/// </summary>
public static class TreeAllReduce
{
    /// <summary>Seconds to all-reduce <paramref name="bytes"/> over <paramref name="ranks"/> ranks.</summary>
    public static double Seconds(double bytes, int ranks, double bandwidthBytesPerSecond, double alphaSeconds)
    {
        CollectiveArgs.Check(bytes, ranks, bandwidthBytesPerSecond, alphaSeconds);
        if (ranks == 1)
        {
            return 0;
        }
        var depth = Math.Ceiling(Math.Log2(ranks));
        return 2 * depth * alphaSeconds + 2 * bytes / bandwidthBytesPerSecond;
    }
}
