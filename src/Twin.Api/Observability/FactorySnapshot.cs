using System.Diagnostics.Metrics;
using Twin.Contracts.Faults;
using Twin.Contracts.Inference;
using Twin.Contracts.Jobs;
using Twin.Contracts.Sites;
using Twin.Model.Devices;
using Twin.Model.Faults;

namespace Twin.Api.Observability;

/// <summary>
/// One reading of the factory's state, already laid out as the measurements each gauge reports, so a scrape
/// only hands out arrays (no grain call, no allocation per scrape).
/// </summary>
public sealed record FactorySnapshot(
    Measurement<long>[] SiteGpus,
    Measurement<long>[] SiteUsableGpus,
    Measurement<long>[] Devices,
    Measurement<long>[] FaultsActive,
    Measurement<double>[] DciAvailableGbps,
    Measurement<long>[] JobState,
    Measurement<double>[] JobGoodput,
    Measurement<long>[] InferenceSlaMet)
{
    /// <summary>Health labels: the four states a coordinator counts (draining and quarantined are one count, out of the pool).</summary>
    private static readonly (string Label, Func<HealthCounts, int> Count)[] Healths =
    [
        ("healthy", c => c.Healthy), ("degraded", c => c.Degraded), ("failed", c => c.Failed), ("out_of_pool", c => c.Other),
    ];

    public static FactorySnapshot From(FactorySummary factory, IReadOnlyList<FaultView> activeFaults, IReadOnlyList<JobView> jobs, IReadOnlyList<InferenceView> services)
    {
        var siteGpus = new List<Measurement<long>>();
        var usable = new List<Measurement<long>>();
        var devices = new List<Measurement<long>>();
        foreach (var site in factory.Sites)
        {
            var s = Tag("site", site.Name);
            usable.Add(new(site.UsableGpus, s));
            foreach (var (label, count) in Healths)
            {
                siteGpus.Add(new(count(site.Gpus), s, Tag("health", label)));
            }
            foreach (var (kind, counts) in new[]
            {
                ("gpu", site.Gpus), ("switch", site.Switches), ("link", site.Links), ("storage", site.StorageNodes), ("dpu", site.Dpus),
            })
            {
                foreach (var (label, count) in Healths)
                {
                    devices.Add(new(count(counts), s, Tag("kind", kind), Tag("health", label)));
                }
            }
        }

        // every site × catalogued kind is present (0 when none is active), so alerts and dashboards see the series from the start
        var faults = factory.Sites.SelectMany(s => FaultKinds.All.Select(k => (Site: s.Name, Kind: k.Name)))
            .ToDictionary(k => k, _ => 0L);
        foreach (var f in activeFaults)
        {
            faults[(f.Site, f.Kind)] = faults.GetValueOrDefault((f.Site, f.Kind)) + 1;
        }

        var dci = factory.DciLinks
            .GroupBy(l => (l.A, l.B))
            .Select(g => new Measurement<double>(g.Sum(l => l.BandwidthGbps * l.Health.CapacityShare()), Tag("a", g.Key.A), Tag("b", g.Key.B)));

        return new FactorySnapshot(
            [.. siteGpus],
            [.. usable],
            [.. devices],
            [.. faults.Select(f => new Measurement<long>(f.Value, Tag("site", f.Key.Site), Tag("kind", f.Key.Kind)))],
            [.. dci],
            [.. jobs.Select(j => new Measurement<long>(1, Tag("job", j.Id), Tag("state", j.State)))],
            [.. jobs.Select(j => new Measurement<double>(j.Goodput, Tag("job", j.Id)))],
            [.. services.Select(v => new Measurement<long>(v.SlaMet ? 1 : 0, Tag("service", v.Id)))]);
    }

    private static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);
}
