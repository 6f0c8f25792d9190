using Orleans.Streams;
using Twin.Contracts.Devices;
using Twin.Contracts.Events;
using Twin.Contracts.Faults;
using Twin.Contracts.Jobs;
using Twin.Contracts.Sites;
using Twin.Contracts.Streams;
using Twin.Grains.Events;
using Twin.Model.Devices;
using Twin.Model.Fabric;
using Twin.Model.Telemetry;
using Twin.Model.Topology;

namespace Twin.Grains.Sites;

/// <summary>
/// The factory coordinator. DCI link changes reach it on the factory stream; site figures come from
/// the site coordinators, which already hold them incrementally.
/// </summary>
[ImplicitStreamSubscription(TwinStreams.Factory)]
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class FactoryGrain(FactoryTopology topology) : Grain, IFactoryGrain
{
    private readonly Dictionary<string, DeviceHealth> _dciHealth = new(StringComparer.Ordinal);
    private IEventLogGrain _log = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _log = GrainFactory.GetGrain<IEventLogGrain>(TwinStreams.FactoryKey);
        var stream = this.GetStreamProvider(TwinStreams.Provider)
            .GetStream<DeviceChanged>(StreamId.Create(TwinStreams.Factory, TwinStreams.FactoryKey));
        await stream.SubscribeAsync(OnDeviceChanged);
    }

    public async ValueTask Start()
    {
        await Task.WhenAll(topology.SiteNames.Select(s => GrainFactory.GetGrain<ISiteCoordinatorGrain>(s).GetSummary().AsTask()));
        await _log.Read(0, 0, EventFilter.All);
    }

    public async ValueTask<FactorySummary> GetSummary()
    {
        var sites = await Task.WhenAll(topology.SiteNames.Select(s => GrainFactory.GetGrain<ISiteCoordinatorGrain>(s).GetSummary().AsTask()));
        var dciDevices = topology.Devices.Where(d => d.Kind == DeviceKind.Dci).ToList();
        // Utilisation is telemetry, not coordinator state: read the few DCI grains' latest figure.
        var views = await Task.WhenAll(dciDevices.Select(d => GrainFactory.Get(d.Kind, d.Id).GetView().AsTask()));
        var links = dciDevices.Zip(views, (d, v) => new DciLinkSummary(
            d.Id, d.EndpointA!, d.EndpointB!, d.DistanceKm,
            FibrePropagation.OneWay(d.DistanceKm).TotalMilliseconds, d.SpeedGbps,
            _dciHealth.GetValueOrDefault(d.Id, DeviceHealth.Healthy),
            v.Metrics.GetValueOrDefault(Metric.Utilization.Name()))).ToList();

        var gpus = new HealthCounts();
        foreach (var s in sites)
        {
            gpus.Total += s.Gpus.Total;
            gpus.Healthy += s.Gpus.Healthy;
            gpus.Degraded += s.Gpus.Degraded;
            gpus.Failed += s.Gpus.Failed;
            gpus.Other += s.Gpus.Other;
        }
        var partitioned = links.GroupBy(l => (l.A, l.B))
            .Where(g => g.All(l => l.Health == DeviceHealth.Failed))
            .Select(g => $"{g.Key.A}-{g.Key.B}")
            .ToList();
        return new FactorySummary
        {
            Name = topology.Spec.Name,
            Sites = sites,
            DciLinks = links,
            Gpus = gpus,
            UsableGpus = sites.Sum(s => s.UsableGpus),
            ActiveFaults = await GrainFactory.GetGrain<IFaultRegistryGrain>(TwinStreams.FactoryKey).ActiveCount(),
            CrossSiteTotalGbps = links.Sum(l => l.BandwidthGbps),
            CrossSiteAvailableGbps = links.Sum(l => l.BandwidthGbps * l.Health.CapacityShare()),
            PartitionedSitePairs = partitioned,
            Devices = topology.Devices.Count,
        };
    }

    // Scale-across jobs spanning this link's sites hear of it (one-way) and read what the pair offers now.
    private async Task TellJobs(DeviceChanged change)
    {
        if (topology.Find(change.DeviceId) is { EndpointA: { } a, EndpointB: { } b })
        {
            await GrainFactory.GetGrain<IJobRegistryGrain>(TwinStreams.FactoryKey).DciChanged(a, b, change.EventTime);
        }
    }

    private async Task OnDeviceChanged(DeviceChanged change, StreamSequenceToken? token)
    {
        var previous = _dciHealth.GetValueOrDefault(change.DeviceId, DeviceHealth.Healthy);
        if (previous == change.Health)
        {
            return;
        }
        if (change.Health == DeviceHealth.Healthy)
        {
            _dciHealth.Remove(change.DeviceId);
        }
        else
        {
            _dciHealth[change.DeviceId] = change.Health;
        }
        await _log.Append([HealthEvents.From(change)]);
        await TellJobs(change);
        if (change.FaultId is null)
        {
            await GrainFactory.GetGrain<IFaultRegistryGrain>(TwinStreams.FactoryKey).RecordFromTelemetry(change);
        }
    }
}
