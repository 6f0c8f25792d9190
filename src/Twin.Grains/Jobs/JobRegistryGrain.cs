using System.Globalization;
using Twin.Contracts.Jobs;
using Twin.Contracts.Sites;
using Twin.Contracts.Streams;
using Twin.Contracts.Devices;
using Twin.Model.Devices;
using Twin.Model.Fabric;
using Twin.Model.Telemetry;
using Twin.Model.Topology;
using Twin.Model.Workloads;

namespace Twin.Grains.Jobs;

/// <summary>
/// The factory's jobs: places them on free, usable GPUs (whole hosts, equal share per site), keeps which
/// GPU runs which job, finds spares after a failure, and passes DCI changes to the jobs spanning a pair.
/// </summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class JobRegistryGrain(FactoryTopology topology, TimeProvider time) : Grain, IJobRegistryGrain
{
    private readonly Dictionary<string, string> _gpuJob = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _jobSites = new(StringComparer.Ordinal);
    private long _next;

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
            var spare = topology.Devices
                .Where(d => d.Site == site.Key && d.Kind == DeviceKind.Gpu && !leaving.Contains(d.Host))
                .GroupBy(d => d.Host)
                .Where(h => h.All(g => !unusable.Contains(g.Id) && !_gpuJob.ContainsKey(g.Id)))
                .SelectMany(h => h)
                .Take(site.Count())
                .Select(d => d.Id)
                .ToList();
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
        // storage up now; concurrent restores are not yet shared out (each is sized as if alone), so a run's
        // result does not depend on which of two simultaneous bursts a coordinator heard of first
        var restoreRead = summaries.Min(s => s.StorageReadAvailableGBps);
        var write = sites.Min(site => topology.Devices.Where(d => d.Site == site && d.Kind == DeviceKind.Storage).Sum(d => d.MaxWriteGBps));
        var dci = sites.Length > 1 ? await Dci(sites) : new DciState(0, 0, 0, 0);
        return new JobContext(spec.GpuModel, spec.NicGbps, fabricShare, dci.LatencyMs * 1000 / FibrePropagation.MicrosecondsPerKm,
            dci.AvailableGbps, dci.LossRate, restoreRead, write);
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

    public async Task DciChanged(string a, string b, DateTimeOffset at)
    {
        foreach (var (job, sites) in _jobSites.Where(j => j.Value.Contains(a) && j.Value.Contains(b)).ToList())
        {
            await GrainFactory.GetGrain<ITrainingJobGrain>(job).DciChanged(at);
        }
    }

    private async Task<HashSet<string>> Unusable(IEnumerable<string> sites)
    {
        var sets = await Task.WhenAll(sites.Select(s => GrainFactory.GetGrain<ISiteCoordinatorGrain>(s).GetUnusableGpus().AsTask()));
        return sets.SelectMany(s => s).ToHashSet(StringComparer.Ordinal);
    }
}
