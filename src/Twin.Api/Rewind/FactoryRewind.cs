using Microsoft.Extensions.Options;
using Twin.Contracts.Rewind;
using Twin.Contracts.Devices;
using Twin.Contracts.Events;
using Twin.Contracts.Faults;
using Twin.Contracts.Jobs;
using Twin.Contracts.Sites;
using Twin.Contracts.Streams;
using Twin.Model.Devices;
using Twin.Model.Faults;
using Twin.Model.Health;
using Twin.Model.Rewind;
using Twin.Model.Security;
using Twin.Model.Topology;

namespace Twin.Api.Rewind;

/// <summary>
/// Rewinds the factory to a past moment from what the twin keeps: the fault registry (active faults and the most
/// recently repaired ones), the event history (health its devices' own telemetry gave them) and, per device, its
/// telemetry history ring. Says how exact the answer is when history no longer reaches that far.
/// </summary>
public sealed class FactoryRewind(IGrainFactory grains, FactoryTopology topology, FaultPlanner planner, IOptionsMonitor<HealthThresholds> thresholds)
{
    private const int PageSize = 5000;

    public async Task<(FactorySnapshot Snapshot, RewindExactness Exactness)> Snapshot(DateTimeOffset at)
    {
        var faults = await grains.GetGrain<IFaultRegistryGrain>(TwinStreams.FactoryKey).List(null, null, null);
        // faults the registry raised from telemetry mirror health changes the event history holds exactly; replaying
        // both would count one reading twice (and a raised fault's planned effect is only an approximation of it)
        var past = faults.Where(f => f.Source != "telemetry")
            .Select(f => new PastFault(f.Id, new FaultRequest(f.Kind, f.Target, f.Parameters), f.At, f.RepairedAt)).ToList();
        var (changes, eventsExact) = await TelemetryHealth(at);
        var snapshot = new HealthReplay(topology, planner, thresholds.CurrentValue).At(at, past, changes);

        // the registry keeps every active fault and the latest repaired ones: older repairs may be missing
        var oldestRepaired = faults.Where(f => !f.Active).Select(f => (DateTimeOffset?)f.At).Min();
        var faultsExact = oldestRepaired is not { } oldest || faults.Count(f => !f.Active) < Twin.Grains.Faults.FaultRegistryGrain.StoredRepaired || at >= oldest
            ? "exact"
            : $"partial: faults repaired before {oldest:O} are no longer kept";
        return (snapshot, new RewindExactness(eventsExact, faultsExact));
    }

    public SiteAtView Site(FactorySnapshot snapshot, string site, RewindExactness exactness)
    {
        HealthCounts Counts(DeviceKind kind)
        {
            var (total, healthy, degraded, failed, other) = snapshot.Count(site, kind);
            return new HealthCounts { Total = total, Healthy = healthy, Degraded = degraded, Failed = failed, Other = other };
        }
        var faults = snapshot.ActiveFaults.Where(f => FaultSite(f) == site).Select(f => f.Id).ToList();
        return new SiteAtView(site, snapshot.At, Counts(DeviceKind.Gpu), Counts(DeviceKind.Switch), Counts(DeviceKind.Link),
            Counts(DeviceKind.Storage), Counts(DeviceKind.Dpu), snapshot.UsableGpus(site), faults, exactness);
    }

    public async Task<FactoryAtView> Factory(DateTimeOffset at)
    {
        var (snapshot, exactness) = await Snapshot(at);
        var sites = topology.SiteNames.Select(s => Site(snapshot, s, exactness)).ToList();
        var registry = grains.GetGrain<IJobRegistryGrain>(TwinStreams.FactoryKey);
        var jobs = new List<JobAtView>();
        foreach (var id in await registry.JobIds())
        {
            var view = await grains.GetGrain<ITrainingJobGrain>(id).GetView(at);
            if (view.SubmittedAt <= at)
            {
                jobs.Add(new JobAtView(view.Id, view.Name, JobStateAt(view.Timeline, at)));
            }
        }
        return new FactoryAtView(at, sites.Sum(s => s.Gpus.Total), sites.Sum(s => s.UsableGpus), sites,
            [.. snapshot.ActiveFaults.Select(f => new FaultAtView(f.Id, f.Request.Kind, f.Request.Target, f.At, f.RepairedAt))], jobs, exactness);
    }

    public async Task<DeviceAtView> Device(DeviceDescriptor device, DateTimeOffset at)
    {
        var (snapshot, exactness) = await Snapshot(at);
        var state = snapshot.Device(device.Id);
        // one read of the whole ring: the last reading of each metric by `at`, and how far back the ring reaches
        var history = await grains.Get(device.Kind, device.Id).GetHistory(null, null, null);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (metric, points) in history.Series)
        {
            for (var i = points.Count - 1; i >= 0; i--)
            {
                if (points[i].Time <= at)
                {
                    metrics[metric] = points[i].Value;
                    break;
                }
            }
        }
        var firstKept = history.Series.Values.Where(p => p.Count > 0).Select(p => (DateTimeOffset?)p[0].Time).Min();
        var telemetry = firstKept is null
            ? "no telemetry kept for this device"
            : at < firstKept
                ? $"out of history: readings are kept from {firstKept:O}"
                : $"resolution {history.Resolution.TotalSeconds:0.###} s (the last reading of each metric at or before {at:O})";
        return new DeviceAtView(device.Id, device.Kind, device.Site, at, state.Health, state.Reason, state.State, state.FaultIds, metrics,
            exactness with { Telemetry = telemetry });
    }

    private string? FaultSite(PastFault fault) =>
        topology.Find(fault.Request.Target)?.Site ?? (topology.SiteNames.Contains(fault.Request.Target) ? fault.Request.Target : null)
        ?? FlowEndpoints.HostOf(topology, fault.Request.Target)?.Site;

    // Health changes that came from the devices' own telemetry (those from faults are replayed from the registry).
    private async Task<(List<PastHealthChange> Changes, string Exact)> TelemetryHealth(DateTimeOffset at)
    {
        var log = grains.GetGrain<IEventLogGrain>(TwinStreams.FactoryKey);
        var changes = new List<PastHealthChange>();
        var first = await log.Read(0, 1, EventFilter.All);
        long since = 0;
        while (true)
        {
            var page = await log.Read(since, PageSize, new EventFilter(Kind: "health-changed"));
            foreach (var e in page.Items.Where(e => e is { FaultId: null, DeviceId: not null, Health: not null } && e.Time <= at))
            {
                changes.Add(new PastHealthChange(e.DeviceId!, e.Time, e.Health!.Value, e.Summary));
            }
            if (page.Items.Count < PageSize)
            {
                break;
            }
            since = page.Items[^1].Sequence;
        }
        var evicted = first.Oldest > 1 && first.Items.Count > 0 && first.Items[0].Time > at;
        return (changes, evicted ? $"partial: the event history is kept from {first.Items[0].Time:O}" : "exact");
    }

    private static string JobStateAt(IReadOnlyList<JobTimelineEntry> timeline, DateTimeOffset at)
    {
        var state = "running";
        foreach (var e in timeline.Where(e => e.Time <= at).OrderBy(e => e.Time))
        {
            state = e.Kind switch
            {
                "interrupted" or "restoring" or "restarting" => "recovering",
                "resumed" or "started" => "running",
                "stopped" => "stopped",
                "cancelled" => "cancelled",
                _ => state,
            };
        }
        return state;
    }
}
