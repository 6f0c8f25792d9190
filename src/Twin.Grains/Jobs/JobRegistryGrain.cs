using System.Globalization;
using Orleans.Streams;
using Twin.Contracts.Inference;
using Twin.Contracts.Jobs;
using Twin.Contracts.Sites;
using Twin.Contracts.Streams;
using Twin.Contracts.Devices;
using Twin.Contracts.Traffic;
using Twin.Model.Devices;
using Twin.Model.Fabric;
using Twin.Model.Inference;
using Twin.Model.Outcomes;
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
    private long _nextService;
    private ILookup<string, DeviceDescriptor>? _storageNodes;
    private readonly StorageShares _storage = new();

    public async Task<JobOutcome> Submit(TrainingJobDefinition definition, DateTimeOffset? at)
    {
        var when = at ?? time.GetUtcNow();
        var spec = definition.ToSpec();
        if (spec.Validate(topology.SiteNames) is [var invalid, ..])
        {
            return new JobOutcome(null, Refusal.Invalid, invalid.Field, invalid.Message);
        }
        var sites = spec.Sites.Count > 0 ? spec.Sites.ToArray() : [topology.SiteNames.First()];
        var unusable = await Unusable(sites);
        var (placement, field, error) = JobPlacer.Place(spec with { Sites = sites }, topology, g => unusable.Contains(g) || _gpuJob.ContainsKey(g));
        if (placement is null)
        {
            return new JobOutcome(null, field == "gpus" ? Refusal.NoCapacity : Refusal.Invalid, field, error);
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
        if (spec.DatasetBytesPerToken > 0)
        {
            var demand = DatasetReads.DemandBytesPerSecond(spec, view.StepTimeMs / 1000);
            await SetIngest(id, [.. sites.Select(site => new IngestDemand(site, demand / sites.Length))], when);
        }
        return new JobOutcome(view, null);
    }

    public Task<IReadOnlyList<string>> JobIds() =>
        Task.FromResult<IReadOnlyList<string>>([.. _jobSites.Keys.Where(id => !Workloads.IsInference(id))]);

    public Task<IReadOnlyList<string>> ServiceIds() =>
        Task.FromResult<IReadOnlyList<string>>([.. _jobSites.Keys.Where(Workloads.IsInference)]);

    public async Task<InferenceOutcome> Deploy(InferenceServiceDefinition definition, DateTimeOffset? at)
    {
        var when = at ?? time.GetUtcNow();
        var spec = definition.ToSpec();
        var site = topology.Spec.Sites.FirstOrDefault(s => s.Name == spec.Site);
        if (site is null)
        {
            return new InferenceOutcome(null, Refusal.Invalid, "site", $"no site '{spec.Site}'; sites are {string.Join(", ", topology.SiteNames)}");
        }
        if (InferenceModel.WontFit(spec, GpuSpecs.For(site.GpuModel)) is { } tooBig)
        {
            return new InferenceOutcome(null, Refusal.Invalid, "gpusPerReplica", tooBig);
        }
        var unusable = await Unusable([spec.Site]);
        // a replica is a tensor-parallel group: placed like a training job of dp = replicas
        var asJob = new TrainingJobSpec { Name = spec.Name, Gpus = spec.Replicas * spec.GpusPerReplica, Sites = [spec.Site], Tp = spec.GpusPerReplica, Dp = spec.Replicas };
        var (placement, field, error) = JobPlacer.Place(asJob, topology, g => unusable.Contains(g) || _gpuJob.ContainsKey(g));
        if (placement is null)
        {
            return new InferenceOutcome(null, field == "gpus" ? Refusal.NoCapacity : Refusal.Invalid, field == "parallelism.tp" ? "gpusPerReplica" : field, error);
        }
        var id = Workloads.InferencePrefix + (++_nextService).ToString("D6", CultureInfo.InvariantCulture);
        foreach (var gpu in placement)
        {
            _gpuJob[gpu] = id;
        }
        _jobSites[id] = [spec.Site];
        await GrainFactory.GetGrain<ISiteCoordinatorGrain>(spec.Site).AssignJob(id, [.. placement]);
        var replicas = placement.Chunk(spec.GpusPerReplica).ToArray();
        var view = await GrainFactory.GetGrain<IInferenceServiceGrain>(id).Start(definition, replicas, when);
        return new InferenceOutcome(view, null);
    }

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
        var write = sites.Min(site => StorageNodes[site].Sum(d => d.MaxWriteGBps));
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

    public async Task Release(string jobId, string[] gpus)
    {
        foreach (var gpu in gpus.Where(g => _gpuJob.GetValueOrDefault(g) == jobId))
        {
            _gpuJob.Remove(gpu);
        }
        foreach (var site in gpus.GroupBy(g => DeviceKinds.SiteOf(g).ToString()))
        {
            await GrainFactory.GetGrain<ISiteCoordinatorGrain>(site.Key).ReleaseJob(jobId, [.. site]);
        }
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
        await PrepareStorage(demands.Select(d => d.Site).Concat(_storage.SitesOf(jobId)), now);
        _storage.Restore(jobId, demands, start, now);
        var outcome = await Settle(jobId);
        return outcome.RestoreEnds.TryGetValue(jobId, out var end) ? end : start;
    }

    public async Task SetIngest(string jobId, IngestDemand[] demands, DateTimeOffset from)
    {
        await PrepareStorage(demands.Select(d => d.Site).Concat(_storage.SitesOf(jobId)), from);
        _storage.SetIngest(jobId, demands, from);
        await Settle(jobId);
    }

    public async Task StopRestore(string jobId, DateTimeOffset at)
    {
        await PrepareStorage(_storage.SitesOf(jobId), at);
        _storage.Stop(jobId, at, forget: !_jobSites.ContainsKey(jobId));
        await Settle(jobId);
    }

    public async Task DciChanged(string a, string b, DateTimeOffset at)
    {
        foreach (var (job, sites) in _jobSites.Where(j => j.Value.Contains(a) && j.Value.Contains(b)).ToList())
        {
            await GrainFactory.GetGrain<ITrainingJobGrain>(job).DciChanged(at);
        }
    }

    private ILookup<string, DeviceDescriptor> StorageNodes =>
        _storageNodes ??= topology.Devices.Where(d => d.Kind == DeviceKind.Storage).ToLookup(d => d.Site, StringComparer.Ordinal);

    // The coordinators learn of failures over a stream, a moment behind the devices; a spare must be good now,
    // so the devices on its GPUs' paths are read directly (a spare that had just failed would fail the job again).
    private async Task<bool> UsableNow(IReadOnlyList<DeviceDescriptor> gpus)
    {
        var devices = gpus.SelectMany(g => topology.Paths.PathOf(g.Id)).Distinct(StringComparer.Ordinal)
            .Select(topology.Find).OfType<DeviceDescriptor>().ToList();
        var views = await Task.WhenAll(devices.Select(d => GrainFactory.Get(d.Kind, d.Id).GetView().AsTask()));
        return views.All(v => !Usability.Blocks(v.Health, v.State ?? LinkState.Up));
    }

    // Sizes each site's storage to what its nodes offer now. The nodes are read directly (like the DCI links):
    // they carry faults synchronously, the coordinator's summary follows a stream.
    private async Task PrepareStorage(IEnumerable<string> sites, DateTimeOffset now)
    {
        foreach (var site in sites.Distinct(StringComparer.Ordinal))
        {
            var nodes = StorageNodes[site].ToList();
            var views = await Task.WhenAll(nodes.Select(n => GrainFactory.Get(n.Kind, n.Id).GetView().AsTask()));
            _storage.Prepare(site, RestoreSource.PoolBytesPerSecond(nodes.Zip(views, (n, v) => (n, v.Health))), now);
        }
    }

    // Publishes what the plan changed and tells the jobs concerned, one-way.
    private async Task<StorageOutcome> Settle(string caller)
    {
        var outcome = _storage.Settle(caller);
        foreach (var flow in outcome.Traffic)
        {
            await this.GetStreamProvider(TwinStreams.Provider).GetStream<TrafficEvent>(StreamId.Create(TwinStreams.Traffic, flow.Site)).OnNextAsync(flow);
        }
        foreach (var notice in outcome.Rescheduled)
        {
            await GrainFactory.GetGrain<ITrainingJobGrain>(notice.Job).RestoreRescheduled(notice.Start, notice.End);
        }
        foreach (var notice in outcome.Supply)
        {
            await GrainFactory.GetGrain<ITrainingJobGrain>(notice.Job).IngestSupplyChanged(notice.Version, notice.Supply);
        }
        return outcome;
    }

    private async Task<HashSet<string>> Unusable(IEnumerable<string> sites)
    {
        var sets = await Task.WhenAll(sites.Select(s => GrainFactory.GetGrain<ISiteCoordinatorGrain>(s).GetUnusableGpus().AsTask()));
        return sets.SelectMany(s => s).ToHashSet(StringComparer.Ordinal);
    }
}
