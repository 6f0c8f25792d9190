namespace Twin.Model.Collectives;

/// <summary>
/// Three-level all-reduce of n bytes (NVLink domain of k ranks → site fabric of m domains → s sites over DCI),
/// against a flat ring over all k·m·s ranks.
/// </summary>
/// <remarks>
/// Hierarchical: reduce-scatter inside the domain (each rank keeps n/k); ring all-reduce of that n/k shard
/// across the site's m domains, one ring per domain rank in parallel, each on its own NIC; across sites, a
/// ring all-reduce over s sites of the site's whole reduced gradient (n bytes, streamed once per site and
/// split over its ranks) through the site's DCI bandwidth; all-gather back inside the domain. The site
/// all-reduce is in practice split around the DCI step (reduce-scatter before, all-gather after), which costs
/// the same. Assumes a site's NICs together can fill its DCI.
/// </remarks>
public static class HierarchicalAllReduce
{
    /// <summary>Per-level cost of a hierarchical all-reduce of <paramref name="bytes"/>.</summary>
    public static AllReduceBreakdown Cost(double bytes, CollectiveLevel domain, CollectiveLevel site, CollectiveLevel dci)
    {
        var k = domain.Ranks;
        var inDomain = domain.EffectiveBandwidthBytesPerSecond;
        return new AllReduceBreakdown(
            DomainReduceScatterSeconds: ReduceScatter.Seconds(bytes, k, inDomain, domain.AlphaSeconds),
            SiteAllReduceSeconds: RingAllReduce.Seconds(bytes / k, site.Ranks, site.EffectiveBandwidthBytesPerSecond, site.AlphaSeconds),
            CrossSiteSeconds: RingAllReduce.Seconds(bytes, dci.Ranks, dci.EffectiveBandwidthBytesPerSecond, dci.AlphaSeconds),
            DomainAllGatherSeconds: AllGather.Seconds(bytes, k, inDomain, domain.AlphaSeconds));
    }

    /// <summary>
    /// A single ring over every rank: each of its 2(p−1) steps waits for the slowest link, so it runs at the
    /// largest α and the smallest effective bandwidth of the levels (the DCI, in practice).
    /// </summary>
    public static double FlatRingSeconds(double bytes, CollectiveLevel domain, CollectiveLevel site, CollectiveLevel dci)
    {
        CollectiveLevel[] levels = [domain, site, dci];
        var ranks = domain.Ranks * site.Ranks * dci.Ranks;
        return RingAllReduce.Seconds(bytes, ranks,
            levels.Min(l => l.EffectiveBandwidthBytesPerSecond), levels.Max(l => l.AlphaSeconds));
    }
}

/// <summary>Time spent at each level of a hierarchical all-reduce.</summary>
public sealed record AllReduceBreakdown(
    double DomainReduceScatterSeconds,
    double SiteAllReduceSeconds,
    double CrossSiteSeconds,
    double DomainAllGatherSeconds)
{
    /// <summary>Everything but the cross-site step: what a step pays when sites sync only every few steps.</summary>
    public double WithinSiteSeconds => DomainReduceScatterSeconds + SiteAllReduceSeconds + DomainAllGatherSeconds;

    public double TotalSeconds => WithinSiteSeconds + CrossSiteSeconds;
}
