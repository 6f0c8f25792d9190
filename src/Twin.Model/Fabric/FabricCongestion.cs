namespace Twin.Model.Fabric;

/// <summary>
/// How much slower a collective's streams run through a fabric that is not a perfect crossbar: pure functions of
/// the fabric's measured bisection and its multipath, so they compose with inventories whose bisection comes from
/// their real links. The result is an oversubscription factor (≥ 1) a <see cref="Collectives.CollectiveLevel"/> divides
/// its bandwidth by.
/// </summary>
public static class FabricCongestion
{
    /// <summary>
    /// Congestion at a cut: the traffic offered across it over what it can carry, when that exceeds one. A ring
    /// collective crosses a pod boundary only at a few hops, so even a 1:7 cut above the pods (Meta's Llama 3
    /// cluster) slows it not at all, while all-to-all traffic crosses it with nearly everything it sends.
    /// </summary>
    /// <param name="offeredBytesPerSecond">What the streams send across the cut at full speed.</param>
    /// <param name="bisectionBytesPerSecond">What the cut carries (measured from the fabric's links, both directions counted once).</param>
    public static double AtCut(double offeredBytesPerSecond, double bisectionBytesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offeredBytesPerSecond);
        if (!(bisectionBytesPerSecond > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(bisectionBytesPerSecond), bisectionBytesPerSecond, "bisection must be > 0");
        }
        return Math.Max(1.0, offeredBytesPerSecond / bisectionBytesPerSecond);
    }

    /// <summary>
    /// Offered load across a cut by <paramref name="rings"/> concurrent rings that each cross it
    /// <paramref name="crossingsPerRing"/> times at <paramref name="streamBytesPerSecond"/>.
    /// </summary>
    public static double RingOffered(int rings, int crossingsPerRing, double streamBytesPerSecond) =>
        (double)rings * crossingsPerRing * streamBytesPerSecond;

    /// <summary>
    /// ECMP hashing <paramref name="flows"/> equal flows onto <paramref name="paths"/> equal paths: a synchronous
    /// collective waits for the most loaded path, so it reaches the ideal load ⌈flows/paths⌉ over the expected
    /// maximum. The maximum is taken with each path's load Poisson(flows/paths) and paths independent:
    /// E[max] = Σₓ (1 − P(load ≤ x)^paths). One flow per path pair collides badly (8 flows on 8 paths: ≈ 0.4);
    /// spreading each connection over more flows (NCCL_IB_QPS_PER_CONNECTION; Meta's 16 flows per GPU pair and
    /// E-ECMP for Llama 3) raises it toward 1.
    /// </summary>
    public static double EcmpEfficiency(int flows, int paths)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(flows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(paths, 1);
        if (paths == 1)
        {
            return 1.0;
        }
        var lambda = (double)flows / paths;
        var ideal = Math.Ceiling(lambda);
        double expectedMax = 0, term = Math.Exp(-lambda), cdf = 0;
        for (var x = 0; x <= flows; x++)
        {
            cdf = Math.Min(1.0, cdf + term);           // P(load ≤ x)
            var above = 1 - Math.Pow(cdf, paths);
            if (above < 1e-12)
            {
                break;
            }
            expectedMax += above;
            term *= lambda / (x + 1);
        }
        return Math.Min(1.0, ideal / Math.Max(ideal, expectedMax));
    }
}
