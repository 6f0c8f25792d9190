namespace Twin.Model.Collectives;

/// <summary>
/// Ring all-reduce (reduce-scatter then all-gather round a ring): 2(p−1) steps, each moving n/p bytes,
/// so time ≈ 2(p−1)·α + 2(p−1)/p · n/B (Patarasuk &amp; Yuan 2009; the NCCL ring).
/// </summary>
/// <remarks>
/// NCCL pipelines the ring: each step's slice is cut into chunks (<c>NCCL_STEPS</c> slots per channel) that a rank
/// forwards as soon as they arrive, so a chunk's trip round the ring costs the sum of the hops' latencies, not
/// 2(p−1) times the slowest. On a ring whose hops differ (NVLink, fabric, a couple of DCI crossings) the latency
/// term is 2(p−1)/p · Σα over the ring's hops — the DCI latency is paid a few times, not 2(p−1) — and the
/// bandwidth term runs at the slowest hop. With equal hops it is the formula above.
/// </remarks>
public static class RingAllReduce
{
    /// <summary>Seconds to all-reduce <paramref name="bytes"/> over <paramref name="ranks"/> ranks.</summary>
    public static double Seconds(double bytes, int ranks, double bandwidthBytesPerSecond, double alphaSeconds) =>
        PipelinedSeconds(bytes, ranks, bandwidthBytesPerSecond, ranks * alphaSeconds);

    /// <summary>
    /// Seconds to all-reduce over a ring of <paramref name="ranks"/> hops whose latencies sum to
    /// <paramref name="ringLatencySeconds"/>, at the slowest hop's <paramref name="bandwidthBytesPerSecond"/>.
    /// </summary>
    public static double PipelinedSeconds(double bytes, int ranks, double bandwidthBytesPerSecond, double ringLatencySeconds)
    {
        CollectiveArgs.Check(bytes, ranks, bandwidthBytesPerSecond, ringLatencySeconds);
        var p = (double)ranks;
        return 2 * (p - 1) / p * (ringLatencySeconds + bytes / bandwidthBytesPerSecond);
    }
}
