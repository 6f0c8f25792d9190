using Orleans.Streams;
using Twin.Contracts.Devices;
using Twin.Contracts.Events;
using Twin.Contracts.Faults;
using Twin.Contracts.Inference;
using Twin.Contracts.Jobs;
using Twin.Contracts.Traffic;
using Twin.Contracts.Sites;
using Twin.Contracts.Streams;
using Twin.Model.Devices;
using Twin.Grains.Events;
using Twin.Grains.Faults;
using Twin.Model.Topology;

namespace Twin.Grains.Sites;

/// <summary>
/// One per site. Its implicit subscription to <c>state/{site}</c> brings every device change; it keeps
/// the site's ledger current and writes each change to the factory's event history.
/// </summary>
[ImplicitStreamSubscription(TwinStreams.State)]
[ImplicitStreamSubscription(TwinStreams.Traffic)]
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class SiteCoordinatorGrain(FactoryTopology topology) : Grain, ISiteCoordinatorGrain
{
    private SiteLedger _ledger = null!;
    // counts the share notices sent, so a workload can order two of the same event time
    private long _notices;
    private IEventLogGrain _log = null!;
    private IFaultRegistryGrain _faults = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var site = this.GetPrimaryKeyString();
        _ledger = new SiteLedger(topology, site);
        _log = GrainFactory.GetGrain<IEventLogGrain>(TwinStreams.FactoryKey);
        _faults = GrainFactory.GetGrain<IFaultRegistryGrain>(TwinStreams.FactoryKey);
        await RestoreFaults(site);
        var stream = this.GetStreamProvider(TwinStreams.Provider)
            .GetStream<DeviceChanged>(StreamId.Create(TwinStreams.State, site));
        await stream.SubscribeAsync(OnDeviceChanged);
        var traffic = this.GetStreamProvider(TwinStreams.Provider)
            .GetStream<TrafficEvent>(StreamId.Create(TwinStreams.Traffic, site));
        await traffic.SubscribeAsync(OnTraffic);
    }

    // Counts restart from the new device list; the registry's active faults are applied again, as on activation.
    public async ValueTask InventoryChanged()
    {
        var site = this.GetPrimaryKeyString();
        _ledger = new SiteLedger(topology, site);
        await RestoreFaults(site);
    }

    public ValueTask AssignJob(string jobId, string[] gpus)
    {
        _ledger.AssignJob(jobId, gpus);
        return ValueTask.CompletedTask;
    }

    public ValueTask ReleaseJob(string jobId, string[]? gpus = null)
    {
        _ledger.ReleaseJob(jobId, gpus);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyCollection<string>> GetUnusableGpus() =>
        ValueTask.FromResult<IReadOnlyCollection<string>>([.. _ledger.UnusableGpus]);

    // A new activation (first start, or after the old one's silo died) starts from the registry's active
    // faults, so the site's counts keep what faults impose; telemetry-derived health returns with the
    // next change each device reports.
    private async Task RestoreFaults(string site)
    {
        var active = await GrainFactory.GetGrain<IFaultLookupGrain>(TwinStreams.FactoryKey).ActiveInSite(site);
        foreach (var id in active.FaultIds)
        {
            _ledger.FaultActivity(id, active: true);
        }
        foreach (var d in active.Devices)
        {
            _ledger.Apply(new DeviceChanged(d.DeviceId, d.Kind, site, DeviceHealth.Healthy, d.Health, d.Reason, null, d.At, d.FaultId));
        }
    }

    public ValueTask<SiteSummary> GetSummary() => ValueTask.FromResult(_ledger.Summary());

    public ValueTask<IReadOnlyDictionary<string, DeviceHealth>> GetUnhealthy() =>
        ValueTask.FromResult<IReadOnlyDictionary<string, DeviceHealth>>(new Dictionary<string, DeviceHealth>(_ledger.Unhealthy));

    public ValueTask FaultActivity(string faultId, bool active)
    {
        _ledger.FaultActivity(faultId, active);
        return ValueTask.CompletedTask;
    }

    public async ValueTask ApplyBulk(DeviceChanged[] changes)
    {
        var (bisection, storage) = (_ledger.BisectionAvailableTbps, _ledger.StorageShare);
        var applied = changes.Count(_ledger.Apply);
        await TellJobs(bisection, storage, changes.Length > 0 ? changes[0].EventTime : default, changes.FirstOrDefault()?.Reason);
        if (applied == 0)
        {
            return;
        }
        var first = changes[0];
        var failed = changes.Count(c => c.Health == DeviceHealth.Failed);
        var summary = failed > 0
            ? $"{applied:N0} devices in {_ledger.Site} changed at once, {failed:N0} failed"
            : $"{applied:N0} devices in {_ledger.Site} changed at once";
        await _log.Append([new TwinEvent
        {
            Id = $"bulk:{first.FaultId}:{first.EventTime.UtcTicks}:{first.Health}",
            Time = first.EventTime,
            Kind = "bulk-change",
            Site = _ledger.Site,
            FaultId = first.FaultId,
            Health = first.Health,
            Summary = summary + (first.Reason is null ? "" : $" ({first.Reason})"),
        }]);
    }

    private async Task OnTraffic(TrafficEvent flow, StreamSequenceToken? token)
    {
        _ledger.AddTraffic(flow);
        await _log.Append([new TwinEvent
        {
            Id = $"traffic:{flow.Id}:{flow.End.UtcTicks}",
            Time = flow.Start,
            Kind = "traffic",
            Site = flow.Site,
            Summary = flow.Summary,
        }]);
    }

    // Workloads hear about lost GPUs, fabric and storage changes one-way: a coordinator never waits on them.
    private async Task TellJobs(double bisectionBefore, double storageBefore, DateTimeOffset at, string? reason)
    {
        foreach (var job in _ledger.TakeLostJobGpus().GroupBy(l => l.Job))
        {
            await GrainFactory.Workload(job.Key).DevicesLost([.. job.Select(l => l.Gpu)], reason ?? "GPU lost", at);
        }
        foreach (var job in _ledger.TakeRestoredJobGpus().GroupBy(l => l.Job))
        {
            await GrainFactory.Workload(job.Key).DevicesRestored([.. job.Select(l => l.Gpu)], at);
        }
        if (Math.Abs(_ledger.BisectionAvailableTbps - bisectionBefore) > 1e-9)
        {
            foreach (var job in TrainingJobs)
            {
                await GrainFactory.GetGrain<ITrainingJobGrain>(job).FabricChanged(_ledger.Site, _ledger.FabricShare, at, ++_notices);
            }
        }
        if (Math.Abs(_ledger.StorageShare - storageBefore) > 1e-9)
        {
            // inference services fetch prompt KV from the NVMe tier
            foreach (var service in _ledger.Jobs.Where(Workloads.IsInference))
            {
                await GrainFactory.GetGrain<IInferenceServiceGrain>(service).StorageChanged(_ledger.StorageShare, at, ++_notices);
            }
        }
    }

    private IEnumerable<string> TrainingJobs => _ledger.Jobs.Where(j => !Workloads.IsInference(j));

    private async Task OnDeviceChanged(DeviceChanged change, StreamSequenceToken? token)
    {
        var (bisection, storage) = (_ledger.BisectionAvailableTbps, _ledger.StorageShare);
        if (_ledger.Apply(change))
        {
            await TellJobs(bisection, storage, change.EventTime, $"{change.DeviceId}: {change.Reason ?? change.Health.Name()}");
            if (change.Kind == DeviceKind.Switch && change.Health.OutOfPool() && !change.Previous.OutOfPool() &&
                topology.Find(change.DeviceId) is { } fabricSwitch && Usability.JoinsLeaves(fabricSwitch))
            {
                foreach (var job in _ledger.JobsCrossingLeaves().Where(j => !Workloads.IsInference(j)))
                {
                    await GrainFactory.GetGrain<ITrainingJobGrain>(job).Interrupted($"{change.DeviceId} down", change.EventTime);
                }
            }
            await _log.Append([HealthEvents.From(change)]);
            if (change.FaultId is null)
            {
                await _faults.RecordFromTelemetry(change); // one-way: a fault raised by the device's own readings
            }
        }
    }
}
