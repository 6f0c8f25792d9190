using Microsoft.Extensions.Options;
using Orleans.Streams;
using Twin.Contracts.Devices;
using Twin.Contracts.Events;
using Twin.Contracts.Faults;
using Twin.Contracts.Streams;
using Twin.Contracts.Telemetry;
using Twin.Grains.Events;
using Twin.Grains.Faults;
using Twin.Model.Devices;
using Twin.Model.Fabric;
using Twin.Model.Health;
using Twin.Model.Telemetry;
using Twin.Model.Topology;

namespace Twin.Grains.Devices;

/// <summary>
/// Shared behaviour of every device grain: a dense array of the latest value per metric slot,
/// health derived from thresholds and active faults, and one event on the site stream per change
/// (never one per sample). Each kind is placed on the silo that first calls it (<c>[PreferLocalPlacement]</c>):
/// a host's telemetry keeps arriving at one silo, so its devices' calls stay in that process instead of two in
/// three crossing silos in a three-silo cluster.
/// </summary>
public abstract class DeviceGrain(FactoryTopology topology, IOptionsMonitor<HealthThresholds> thresholds, IOptions<HistoryOptions> history)
    : Grain, IDeviceGrain
{
    private DeviceDescriptor _device = null!;
    private double[] _values = [];
    private DateTimeOffset? _lastUpdate;
    private long _samples;
    private HealthVerdict _telemetryVerdict = HealthVerdict.Healthy;
    private Dictionary<string, FaultEffect>? _faults;
    private DeviceHealth _health = DeviceHealth.Healthy;

    protected DeviceHealth Health => _health;
    private string? _reason;
    private LinkState? _state;
    private Queue<DateTimeOffset>? _flaps;
    private IAsyncStream<DeviceChanged>? _stream;
    private HistoryRing?[] _history = [];
    private (double Value, long Ticks) _txCounter = (double.NaN, 0);
    private (double Value, long Ticks) _rxCounter = (double.NaN, 0);

    protected DeviceDescriptor Device => _device;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var id = this.GetPrimaryKeyString();
        _device = topology.Find(id) ?? throw new KeyNotFoundException($"no device '{id}' in the topology");
        _values = new double[MetricCatalog.Layout(_device.Kind).Length];
        Array.Fill(_values, double.NaN);
        _history = new HistoryRing?[_values.Length];
        _state = InitialState(_device.Kind);
        return RestoreFaults();
    }

    // A device's telemetry is re-derived from the next readings, but the health an active fault imposes
    // must survive this grain losing its memory (its silo died, it was collected): the registry knows.
    private async Task RestoreFaults()
    {
        var effects = await GrainFactory.GetGrain<IFaultLookupGrain>(TwinStreams.FactoryKey).ActiveFor(_device.Id);
        if (effects.Length == 0)
        {
            return;
        }
        _faults = new(StringComparer.Ordinal);
        foreach (var effect in effects)
        {
            _faults[effect.FaultId] = effect;
            ForceMetrics(effect);
        }
        // silently: the site coordinator rebuilds its own view from the registry, not from these
        Recompute(effects.Max(e => e.EventTime), effects[0].FaultId);
    }

    public async ValueTask<int> ApplyTelemetry(DeviceTelemetry telemetry)
    {
        if (_lastUpdate is { } last && telemetry.Time < last)
        {
            return 0; // out of order: the newer reading already stands
        }
        var applied = 0;
        var kind = _device.Kind;
        foreach (var v in telemetry.Values)
        {
            var slot = MetricCatalog.Slot(kind, v.Metric);
            if (slot < 0)
            {
                continue;
            }
            switch (v.Metric)
            {
                case Metric.OperUp:
                    TrackFlap(_values[slot], v.Value, telemetry.Time);
                    break;
                case Metric.TxBytesTotal:
                    Rate(ref _txCounter, v.Value, telemetry.Time, Metric.TxGbps);
                    break;
                case Metric.RxBytesTotal:
                    Rate(ref _rxCounter, v.Value, telemetry.Time, Metric.RxGbps);
                    break;
            }
            Set(slot, v.Value, telemetry.Time);
            applied++;
        }
        _lastUpdate = telemetry.Time;
        _samples += applied;
        _telemetryVerdict = HealthRules.Evaluate(kind, _values, thresholds.CurrentValue);
        var change = Recompute(telemetry.Time, faultId: null);
        if (change is not null)
        {
            await Publish(change);
        }
        return applied;
    }

    public async ValueTask Ingest(DeviceTelemetry telemetry) => await ApplyTelemetry(telemetry);

    public ValueTask<DeviceView> GetView()
    {
        var metrics = new Dictionary<string, double>();
        var layout = MetricCatalog.Layout(_device.Kind);
        for (var i = 0; i < layout.Length; i++)
        {
            if (!double.IsNaN(_values[i]))
            {
                metrics[layout[i].Name()] = _values[i];
            }
        }
        return ValueTask.FromResult(new DeviceView
        {
            Id = _device.Id,
            Kind = _device.Kind,
            Site = _device.Site,
            Health = _health,
            HealthReason = _reason,
            State = _state,
            LastUpdate = _lastUpdate,
            Metrics = metrics,
            Attributes = DeviceAttributes.Of(_device),
            ActiveFaults = _faults is null ? [] : [.. _faults.Keys],
            Samples = _samples,
        });
    }

    public ValueTask<DeviceHistory> GetHistory(Metric? metric, DateTimeOffset? since, DateTimeOffset? until)
    {
        var series = new Dictionary<string, IReadOnlyList<HistoryPoint>>(StringComparer.Ordinal);
        var layout = MetricCatalog.Layout(_device.Kind);
        for (var i = 0; i < layout.Length; i++)
        {
            if (_history[i] is { } ring && (metric is null || layout[i] == metric))
            {
                series[layout[i].Name()] = ring.Range(since, until).Select(p => new HistoryPoint(p.Time, p.Value)).ToList();
            }
        }
        var o = history.Value;
        return ValueTask.FromResult(new DeviceHistory(_device.Id, series, o.Capacity, o.Resolution));
    }

    public async ValueTask<DeviceChanged?> ApplyFault(FaultEffect effect)
    {
        (_faults ??= new(StringComparer.Ordinal))[effect.FaultId] = effect;
        ForceMetrics(effect);
        var change = Recompute(effect.EventTime, effect.FaultId);
        if (change is not null && !effect.Quiet)
        {
            await Publish(change);
        }
        return change;
    }

    public async ValueTask<DeviceChanged?> ClearFault(string faultId, DateTimeOffset eventTime, bool quiet)
    {
        if (_faults is null || !_faults.Remove(faultId, out var effect))
        {
            return null;
        }
        if (effect.Metrics is { Count: > 0 })
        {
            // the fault forced readings; the next telemetry restores real ones, until then assume nominal
            foreach (var name in effect.Metrics.Keys)
            {
                if (MetricCatalog.TryParse(name, out var metric) && MetricCatalog.Slot(_device.Kind, metric) is var slot and >= 0)
                {
                    _values[slot] = double.NaN;
                }
            }
            _telemetryVerdict = HealthRules.Evaluate(_device.Kind, _values, thresholds.CurrentValue);
        }
        var change = Recompute(eventTime, faultId);
        if (change is not null && !quiet)
        {
            await Publish(change);
        }
        return change;
    }

    private void ForceMetrics(FaultEffect effect)
    {
        if (effect.Metrics is not { } metrics)
        {
            return;
        }
        foreach (var (name, value) in metrics)
        {
            if (MetricCatalog.TryParse(name, out var metric) && MetricCatalog.Slot(_device.Kind, metric) is var slot and >= 0)
            {
                _values[slot] = value;
            }
        }
        _telemetryVerdict = HealthRules.Evaluate(_device.Kind, _values, thresholds.CurrentValue);
    }

    private DeviceChanged? Recompute(DateTimeOffset time, string? faultId)
    {
        var verdict = _telemetryVerdict;
        LinkState? faultState = null;
        if (_faults is not null)
        {
            foreach (var f in _faults.Values)
            {
                verdict = verdict.Worst(new HealthVerdict(f.Health, f.Reason));
                faultState ??= f.State;
            }
        }
        var state = faultState ?? DeriveState(verdict);
        if (verdict.Health == _health && state == _state)
        {
            _reason = verdict.Reason;
            return null;
        }
        var change = new DeviceChanged(_device.Id, _device.Kind, _device.Site, _health, verdict.Health, verdict.Reason, state, time, faultId);
        _health = verdict.Health;
        _reason = verdict.Reason;
        _state = state;
        return change;
    }

    private LinkState? DeriveState(HealthVerdict verdict)
    {
        if (_device.Kind is not (DeviceKind.Link or DeviceKind.Dci))
        {
            return null;
        }
        var up = _values[MetricCatalog.Slot(_device.Kind, Metric.OperUp)];
        if (up == 0 || verdict.Health == DeviceHealth.Failed)
        {
            return LinkState.Down;
        }
        return _flaps is { } f && f.Count >= thresholds.CurrentValue.FlapsToMarkFlapping ? LinkState.Flapping : LinkState.Up;
    }

    // A link that went from up to down counts as one flap; flaps older than the window are forgotten.
    private void TrackFlap(double previous, double now, DateTimeOffset time)
    {
        var flaps = _flaps ??= new Queue<DateTimeOffset>();
        if (previous == 1 && now == 0)
        {
            flaps.Enqueue(time);
        }
        var window = thresholds.CurrentValue.FlapWindow;
        while (flaps.Count > 0 && time - flaps.Peek() > window)
        {
            flaps.Dequeue();
        }
    }

    private void Set(int slot, double value, DateTimeOffset time)
    {
        _values[slot] = value;
        var o = history.Value;
        (_history[slot] ??= new HistoryRing(o.Capacity, o.Resolution)).Add(time, value);
    }

    // Byte counters become Gb/s from the delta since the previous reading; a counter reset skips one interval.
    private void Rate(ref (double Value, long Ticks) previous, double counter, DateTimeOffset time, Metric rate)
    {
        var slot = MetricCatalog.Slot(_device.Kind, rate);
        var seconds = (time.UtcTicks - previous.Ticks) / (double)TimeSpan.TicksPerSecond;
        if (slot >= 0 && !double.IsNaN(previous.Value) && seconds > 0 && counter >= previous.Value)
        {
            var gbps = (counter - previous.Value) * 8 / 1e9 / seconds;
            Set(slot, gbps, time);
            var util = MetricCatalog.Slot(_device.Kind, Metric.Utilization);
            if (util >= 0 && _device.SpeedGbps > 0)
            {
                var tx = _values[MetricCatalog.Slot(_device.Kind, Metric.TxGbps)];
                var rx = _values[MetricCatalog.Slot(_device.Kind, Metric.RxGbps)];
                Set(util, Math.Min(1, Math.Max(double.IsNaN(tx) ? 0 : tx, double.IsNaN(rx) ? 0 : rx) / _device.SpeedGbps), time);
            }
        }
        previous = (counter, time.UtcTicks);
    }

    private static LinkState? InitialState(DeviceKind kind) => kind is DeviceKind.Link or DeviceKind.Dci ? LinkState.Up : null;

    private async Task Publish(DeviceChanged change)
    {
        if (change.Health != change.Previous)
        {
            // history first, delivery after: memory streams lose what a dying silo held in its queues,
            // so a change the caller saw acknowledged is already in the (durable) history; the
            // coordinator's own append of the same change is skipped by its id
            await GrainFactory.GetGrain<IEventLogGrain>(TwinStreams.FactoryKey).Append([HealthEvents.From(change)]);
        }
        _stream ??= this.GetStreamProvider(TwinStreams.Provider)
            .GetStream<DeviceChanged>(TwinStreams.StateStreamFor(_device.Kind, _device.Site));
        await _stream.OnNextAsync(change);
    }
}
