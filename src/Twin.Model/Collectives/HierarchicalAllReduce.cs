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
    /// A single ring over every rank, pipelined: inside each domain k−1 NVLink hops, between the site's domains
    /// m−1 fabric hops, and one DCI hop out of each site (the wrap-around is a fabric hop on one site). The
    /// latency is the ring's sum of hop latencies, paid about twice; the bandwidth is the slowest level's.
    /// </summary>
    public static double FlatRingSeconds(double bytes, CollectiveLevel domain, CollectiveLevel site, CollectiveLevel dci)
    {
        CollectiveLevel[] levels = [domain, site, dci];
        var ranks = domain.Ranks * site.Ranks * dci.Ranks;
        var domains = (double)site.Ranks * dci.Ranks;
        var dciHops = dci.Ranks > 1 ? dci.Ranks : 0;
        var ringLatency = domains == 1
            ? domain.Ranks * domain.AlphaSeconds
            : domains * (domain.Ranks - 1) * domain.AlphaSeconds + (domains - dciHops) * site.AlphaSeconds + dciHops * dci.AlphaSeconds;
        return RingAllReduce.PipelinedSeconds(bytes, ranks, levels.Min(l => l.EffectiveBandwidthBytesPerSecond), ringLatency);
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
