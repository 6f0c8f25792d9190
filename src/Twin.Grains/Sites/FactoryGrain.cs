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
            CrossSiteAvailableGbps = links.Where(l => l.Health != DeviceHealth.Failed).Sum(l => l.BandwidthGbps * (l.Health == DeviceHealth.Degraded ? 0.5 : 1)),
            PartitionedSitePairs = partitioned,
            Devices = topology.Devices.Count,
        };
    }

    // Scale-across jobs hear what is left between the two sites of this link (one-way).
    private async Task TellJobs(DeviceChanged change)
    {
        if (topology.Find(change.DeviceId) is not { EndpointA: { } a, EndpointB: { } b })
        {
            return;
        }
        var pair = topology.Devices.Where(d => d.Kind == DeviceKind.Dci && d.EndpointA == a && d.EndpointB == b).ToList();
        var available = pair.Sum(l => _dciHealth.GetValueOrDefault(l.Id, DeviceHealth.Healthy) switch
        {
            DeviceHealth.Healthy => l.SpeedGbps,
            DeviceHealth.Degraded => l.SpeedGbps / 2,
            _ => 0,
        });
        // latency and loss of the pair: the worst link's readings (a fault forces them, telemetry reports them)
        var views = await Task.WhenAll(pair.Where(l => _dciHealth.ContainsKey(l.Id) || l.Id == change.DeviceId)
            .Select(l => GrainFactory.Get(l.Kind, l.Id).GetView().AsTask()));
        var nominal = FibrePropagation.OneWay(pair[0].DistanceKm).TotalMilliseconds;
        var latency = views.Select(v => v.Metrics.GetValueOrDefault(Metric.LatencyMs.Name(), nominal)).DefaultIfEmpty(nominal).Max();
        var loss = views.Select(v => v.Metrics.GetValueOrDefault(Metric.LossPct.Name(), 0) / 100).DefaultIfEmpty(0).Max();
        await GrainFactory.GetGrain<IJobRegistryGrain>(TwinStreams.FactoryKey).DciChanged(a, b, available, loss, latency, change.EventTime);
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
