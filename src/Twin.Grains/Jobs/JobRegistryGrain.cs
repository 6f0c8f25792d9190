using System.Globalization;
using Orleans.Streams;
using Twin.Contracts.Jobs;
using Twin.Contracts.Sites;
using Twin.Contracts.Streams;
using Twin.Contracts.Devices;
using Twin.Contracts.Traffic;
using Twin.Model.Devices;
using Twin.Model.Fabric;
using Twin.Model.Storage;
using Twin.Model.Telemetry;
using Twin.Model.Topology;
using Twin.Model.Workloads;

namespace Twin.Grains.Jobs;

/// <summary>
/// The factory's jobs: places them on free, usable GPUs (whole hosts, equal share per site), keeps which
/// GPU runs which job, finds spares after a failure, shares each site's storage among the checkpoint restores
/// in flight, and passes DCI changes to the jobs spanning a pair.
/// </summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class JobRegistryGrain(FactoryTopology topology, TimeProvider time) : Grain, IJobRegistryGrain
{
    private readonly Dictionary<string, string> _gpuJob = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _jobSites = new(StringComparer.Ordinal);
    private long _next;
    private Dictionary<string, DeviceDescriptor>? _nicLinks;
    // per site: the restores reading from its storage; per job: the restore start its notices refer to
    private readonly Dictionary<string, FairShareSchedule> _restores = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _restoreStarts = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Job, string Site), RestoreDemand> _demands = [];
    private readonly Dictionary<(string Job, string Site), SharedBurst> _published = [];

    public async Task<JobOutcome> Submit(TrainingJobDefinition definition, DateTimeOffset? at)
    {
        var when = at ?? time.GetUtcNow();
        var spec = definition.ToSpec();
        var sites = spec.Sites.Count > 0 ? spec.Sites.ToArray() : [topology.SiteNames.First()];
        var unusable = await Unusable(sites);
        var (placement, field, error) = JobPlacer.Place(spec with { Sites = sites }, topology, g => unusable.Contains(g) || _gpuJob.ContainsKey(g));
        if (placement is null)
        {
            return new JobOutcome(null, field == "gpus" ? 409 : 400, field, error);
        }
        var id = "j-" + (++_next).ToString("D6", CultureInfo.InvariantCulture);
        foreach (var gpu in placement)
        {
            _gpuJob[gpu] = id;
        }
        _jobSites[id] = sites;
        foreach (var site in placement.GroupBy(g => DeviceKinds.SiteOf(g).ToString()))
        {
            await GrainFactory.GetGrain<ISiteCoordinatorGrain>(site.Key).AssignJob(id, [.. site]);
        }
        var context = await Context(sites, sites[0]);
        var view = await GrainFactory.GetGrain<ITrainingJobGrain>(id).Start(definition with { Sites = sites }, [.. placement], context, when);
        return new JobOutcome(view, 201);
    }

    public Task<IReadOnlyList<string>> JobIds() => Task.FromResult<IReadOnlyList<string>>([.. _jobSites.Keys]);

    public async Task<string[]> Replace(string jobId, string[] lost, DateTimeOffset at)
    {
        var replacements = new List<string>();
        foreach (var site in lost.GroupBy(g => DeviceKinds.SiteOf(g).ToString()))
        {
            var unusable = await Unusable([site.Key]);
            // the hosts being left are bad now, whether or not the coordinator has heard yet
            var leaving = site.Select(g => topology.Find(g)?.Host).ToHashSet();
            var candidates = topology.Devices
                .Where(d => d.Site == site.Key && d.Kind == DeviceKind.Gpu && !leaving.Contains(d.Host))
                .GroupBy(d => d.Host)
                .Where(h => h.All(g => !unusable.Contains(g.Id) && !_gpuJob.ContainsKey(g.Id)));
            var spare = new List<string>();
            foreach (var host in candidates)
            {
                if (spare.Count >= site.Count())
                {
                    break;
                }
                if (await UsableNow([.. host]))
                {
                    spare.AddRange(host.Select(g => g.Id).Take(site.Count() - spare.Count));
                }
            }
            if (spare.Count < site.Count())
            {
                return [];
            }
            replacements.AddRange(spare);
        }
        foreach (var gpu in lost)
        {
            _gpuJob.Remove(gpu);
        }
        foreach (var gpu in replacements)
        {
            _gpuJob[gpu] = jobId;
        }
        foreach (var site in lost.GroupBy(g => DeviceKinds.SiteOf(g).ToString()))
        {
            var coordinator = GrainFactory.GetGrain<ISiteCoordinatorGrain>(site.Key);
            await coordinator.ReleaseJob(jobId, [.. site]);
            await coordinator.AssignJob(jobId, [.. replacements.Where(r => r.StartsWith(site.Key + "/", StringComparison.Ordinal))]);
        }
        return [.. replacements];
    }

    public async Task<JobContext> Context(string[] sites, string gpuModelSite)
    {
        var spec = topology.Spec.Sites.First(s => s.Name == gpuModelSite);
        var summaries = await Task.WhenAll(sites.Select(s => GrainFactory.GetGrain<ISiteCoordinatorGrain>(s).GetSummary().AsTask()));
        var fabricShare = summaries.Min(s => s.BisectionTbps > 0 ? s.BisectionAvailableTbps / s.BisectionTbps : 1.0);
        var write = sites.Min(site => topology.Devices.Where(d => d.Site == site && d.Kind == DeviceKind.Storage).Sum(d => d.MaxWriteGBps));
        var dci = sites.Length > 1 ? await Dci(sites) : new DciState(0, 0, 0, 0);
        return new JobContext(spec.GpuModel, spec.NicGbps, fabricShare, dci.LatencyMs * 1000 / FibrePropagation.MicrosecondsPerKm,
            dci.AvailableGbps, dci.LossRate, write);
    }

    public async Task<DciState> Dci(string[] sites)
    {
        DciState? thinnest = null;
        foreach (var pair in topology.Devices.Where(d => d.Kind == DeviceKind.Dci && sites.Contains(d.EndpointA) && sites.Contains(d.EndpointB))
                     .GroupBy(d => (d.EndpointA, d.EndpointB)))
        {
            var links = pair.ToList();
            var views = await Task.WhenAll(links.Select(l => GrainFactory.Get(l.Kind, l.Id).GetView().AsTask()));
            var available = links.Zip(views, (l, v) => l.SpeedGbps * v.Health.CapacityShare()).Sum();
            var nominal = FibrePropagation.OneWay(links[0].DistanceKm).TotalMilliseconds;
            var latency = views.Max(v => v.Metrics.GetValueOrDefault(Metric.LatencyMs.Name(), nominal));
            var loss = views.Max(v => v.Metrics.GetValueOrDefault(Metric.LossPct.Name(), 0)) / 100;
            var state = new DciState(available, loss, latency, links[0].DistanceKm);
            if (thinnest is null || state.AvailableGbps < thinnest.AvailableGbps ||
                (state.AvailableGbps == thinnest.AvailableGbps && state.LatencyMs > thinnest.LatencyMs))
            {
                thinnest = state;
            }
        }
        return thinnest ?? new DciState(0, 0, 0, 0);
    }

    public async Task Release(string jobId)
    {
        if (!_jobSites.Remove(jobId, out var sites))
        {
            return;
        }
        foreach (var gpu in _gpuJob.Where(kv => kv.Value == jobId).Select(kv => kv.Key).ToList())
        {
            _gpuJob.Remove(gpu);
        }
        foreach (var site in sites)
        {
            await GrainFactory.GetGrain<ISiteCoordinatorGrain>(site).ReleaseJob(jobId);
        }
    }

    public async Task<DateTimeOffset> ScheduleRestore(string jobId, RestoreDemand[] demands, DateTimeOffset start, DateTimeOffset now)
    {
        var before = RestoreEnds();
        await Truncate(jobId, now); // an earlier restore of this job, cut short by the failure being recovered
        foreach (var demand in demands)
        {
            var schedule = await Restores(demand.Site, now);
            schedule.Add(jobId, start, demand.Bytes, demand.CapBytesPerSecond);
            _demands[(jobId, demand.Site)] = demand;
        }
        _restoreStarts[jobId] = start;
        var after = await Republish(before, jobId);
        return after.TryGetValue(jobId, out var end) ? end : start;
    }

    public async Task StopRestore(string jobId, DateTimeOffset at)
    {
        if (_restoreStarts.ContainsKey(jobId))
        {
            var before = RestoreEnds();
            await Truncate(jobId, at);
            await Republish(before, jobId);
        }
    }

    public async Task DciChanged(string a, string b, DateTimeOffset at)
    {
        foreach (var (job, sites) in _jobSites.Where(j => j.Value.Contains(a) && j.Value.Contains(b)).ToList())
        {
            await GrainFactory.GetGrain<ITrainingJobGrain>(job).DciChanged(at);
        }
    }

    // The coordinators learn of failures over a stream, a moment behind the devices; a spare must be good now,
    // so its GPUs and their NIC links are read directly (a spare that had just failed would fail the job again).
    private async Task<bool> UsableNow(IReadOnlyList<DeviceDescriptor> gpus)
    {
        _nicLinks ??= topology.Devices.Where(d => d is { Kind: DeviceKind.Link, Tier: "gpu-leaf", EndpointA: not null })
            .ToDictionary(d => d.EndpointA!, StringComparer.Ordinal);
        var devices = gpus.Concat(gpus.Select(g => _nicLinks.GetValueOrDefault(g.Id)).OfType<DeviceDescriptor>()).ToList();
        var views = await Task.WhenAll(devices.Select(d => GrainFactory.Get(d.Kind, d.Id).GetView().AsTask()));
        return views.All(v => v.Kind == DeviceKind.Gpu
            ? !v.Health.OutOfPool()
            : v.Health != DeviceHealth.Failed && v.State != "flapping");
    }

    // A site's schedule, moved to the present and sized to what its storage nodes offer now. The nodes are read
    // directly (like the DCI links): they carry faults synchronously, the coordinator's summary follows a stream.
    private async Task<FairShareSchedule> Restores(string site, DateTimeOffset now)
    {
        var nodes = topology.Devices.Where(d => d.Site == site && d.Kind == DeviceKind.Storage).ToList();
        var views = await Task.WhenAll(nodes.Select(n => GrainFactory.Get(n.Kind, n.Id).GetView().AsTask()));
        // with every storage node down a restore waits; a trickle (1 MB/s) keeps the schedule finite until repair
        var capacity = Math.Max(1e6, RestoreSource.ReadBytesPerSecond(nodes.Zip(views, (n, v) => (n, v.Health))));
        if (!_restores.TryGetValue(site, out var schedule))
        {
            _restores[site] = schedule = new FairShareSchedule(capacity);
        }
        schedule.AdvanceTo(now);
        schedule.CapacityBytesPerSecond = capacity;
        return schedule;
    }

    // When each job's restore ends: the last of its sites' bursts.
    private Dictionary<string, DateTimeOffset> RestoreEnds() =>
        _restores.Values.SelectMany(s => s.Plan())
            .GroupBy(p => p.Key, p => p.Value.End, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(), StringComparer.Ordinal);

    // Takes a job's restore off every schedule at `at`; the traffic shown for it ends there.
    private async Task Truncate(string jobId, DateTimeOffset at)
    {
        foreach (var schedule in _restores.Values)
        {
            schedule.Stop(jobId, at);
        }
        foreach (var key in _published.Keys.Where(k => k.Job == jobId).ToList())
        {
            var burst = _published[key];
            if (burst.End > at && at > burst.Start)
            {
                var read = burst.AverageBytesPerSecond * (at - burst.Start).TotalSeconds;
                await Publish(jobId, _demands[key] with { Bytes = read }, new SharedBurst(burst.Start, at, burst.AverageBytesPerSecond), 0);
            }
            _published.Remove(key);
            _demands.Remove(key);
        }
        _restoreStarts.Remove(jobId);
    }

    // Publishes the bursts whose plan changed and tells the other jobs whose restore now ends at another time.
    private async Task<Dictionary<string, DateTimeOffset>> Republish(Dictionary<string, DateTimeOffset> before, string caller)
    {
        foreach (var (site, schedule) in _restores)
        {
            var plan = schedule.Plan();
            foreach (var (job, burst) in plan)
            {
                if (_published.GetValueOrDefault((job, site)) != burst)
                {
                    _published[(job, site)] = burst;
                    var overlapping = plan.Count(o => o.Key != job && o.Value.Start < burst.End && burst.Start < o.Value.End);
                    await Publish(job, _demands[(job, site)], burst, overlapping);
                }
            }
        }
        var after = RestoreEnds();
        foreach (var (job, end) in after)
        {
            if (job != caller && before.TryGetValue(job, out var was) && was != end && _restoreStarts.TryGetValue(job, out var start))
            {
                await GrainFactory.GetGrain<ITrainingJobGrain>(job).RestoreRescheduled(start, end);
            }
        }
        // restores the schedules forgot have finished
        foreach (var key in _demands.Keys.Where(k => !after.ContainsKey(k.Job)).ToList())
        {
            _demands.Remove(key);
            _published.Remove(key);
            _restoreStarts.Remove(key.Job);
        }
        return after;
    }

    // The burst as traffic on its site (a later plan of the same burst replaces it: same id).
    private Task Publish(string job, RestoreDemand demand, SharedBurst burst, int sharedWith)
    {
        var stream = this.GetStreamProvider(TwinStreams.Provider).GetStream<TrafficEvent>(StreamId.Create(TwinStreams.Traffic, demand.Site));
        var gbps = burst.AverageBytesPerSecond / 1e9;
        var sharing = sharedWith > 0 ? $", sharing {demand.Site}'s storage with {sharedWith} other restore(s)" : "";
        return stream.OnNextAsync(new TrafficEvent(
            $"{job}:restore:{burst.Start.UtcTicks}:{demand.Site}", demand.Site, "checkpoint-restore", job,
            burst.Start, burst.End, gbps, 0, gbps * 8, demand.Bytes,
            $"{demand.JobName}: checkpoint restore of {demand.Bytes / 1e9:N0} GB at {gbps:N1} GB/s for {burst.Duration.TotalSeconds:0.#} s{sharing}"));
    }

    private async Task<HashSet<string>> Unusable(IEnumerable<string> sites)
    {
        var sets = await Task.WhenAll(sites.Select(s => GrainFactory.GetGrain<ISiteCoordinatorGrain>(s).GetUnusableGpus().AsTask()));
        return sets.SelectMany(s => s).ToHashSet(StringComparer.Ordinal);
    }
}
