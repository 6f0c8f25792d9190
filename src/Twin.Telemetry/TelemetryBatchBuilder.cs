using System.Numerics;
using Twin.Contracts.Telemetry;
using Twin.Model.Devices;
using Twin.Model.Telemetry;
using Twin.Model.Topology;
using Twin.Telemetry.Mapping;

namespace Twin.Telemetry;

/// <summary>
/// Collects canonical samples of one body and groups them per device, so ingestion makes one grain call per
/// device per batch. Per device and metric the sample with the latest timestamp wins (ties: the higher
/// <see cref="MetricMapping.Priority"/>, then the later one in the body); the device's time is the latest of them.
/// Refuses non-finite values, samples stamped too far ahead of <c>now</c> or too old, and metrics the
/// device's kind does not hold. Not thread-safe: one builder per request.
/// </summary>
public sealed class TelemetryBatchBuilder
{
    private readonly Dictionary<int, Accumulator> _byOrdinal = [];
    private readonly List<Accumulator> _order = [];
    private readonly long _nowTicks;
    private readonly long _maxTicks;
    private readonly long _minTicks;
    private Accumulator? _last;

    public TelemetryBatchBuilder(TelemetryMappingOptions options, DateTimeOffset now, IngestReport? report = null)
    {
        Now = now;
        Report = report ?? new IngestReport();
        _nowTicks = now.UtcTicks;
        _maxTicks = _nowTicks + options.MaxFutureSkew.Ticks;
        _minTicks = options.MaxAge is { } age ? _nowTicks - age.Ticks : long.MinValue;
    }

    /// <summary>The server time samples without a timestamp get, and the reference for the time window.</summary>
    public DateTimeOffset Now { get; }

    public IngestReport Report { get; }

    /// <summary>Devices with at least one accepted sample so far.</summary>
    public int DeviceCount => _order.Count;

    /// <summary>
    /// Adds one canonical sample; <paramref name="utcTicks"/> 0 means "now". Counts it as accepted when it is;
    /// otherwise the caller reports it with <see cref="Reject"/> (it knows the line/index and field).
    /// </summary>
    public SampleVerdict Add(DeviceDescriptor device, Metric metric, double value, long utcTicks, byte priority = 0)
    {
        if (!double.IsFinite(value))
        {
            return SampleVerdict.NotFinite;
        }
        if (utcTicks == 0)
        {
            utcTicks = _nowTicks;
        }
        else if (utcTicks > _maxTicks)
        {
            return SampleVerdict.InFuture;
        }
        else if (utcTicks < _minTicks)
        {
            return SampleVerdict.TooOld;
        }
        var slot = MetricCatalog.Slot(device.Kind, metric);
        if (slot < 0)
        {
            return SampleVerdict.NotHeldByKind;
        }
        var acc = _last;
        if (acc is null || !ReferenceEquals(acc.Device, device))
        {
            if (!_byOrdinal.TryGetValue(device.Ordinal, out acc) || !ReferenceEquals(acc.Device, device))
            {
                acc = new Accumulator(device);
                _byOrdinal[device.Ordinal] = acc;
                _order.Add(acc);
            }
            _last = acc;
        }
        acc.Set(slot, value, utcTicks, priority);
        Report.Accepted++;
        return SampleVerdict.Accepted;
    }

    /// <summary>Records a refused sample with a reason built from its verdict (only on the error path).</summary>
    public void Reject(SampleVerdict verdict, int? line, int? index, string field, DeviceDescriptor? device, Metric metric, double value, long utcTicks)
    {
        var reason = verdict switch
        {
            SampleVerdict.NotFinite => $"value {value} is not a finite number",
            SampleVerdict.InFuture => $"timestamp {Time(utcTicks):O} is more than {(_maxTicks - _nowTicks) / TimeSpan.TicksPerSecond} s ahead of the server clock",
            SampleVerdict.TooOld => $"timestamp {Time(utcTicks):O} is older than {(_nowTicks - _minTicks) / TimeSpan.TicksPerSecond} s",
            SampleVerdict.NotHeldByKind => $"a {device?.Kind.Name()} ({device?.Id}) does not hold metric {metric.Name()}",
            _ => "refused",
        };
        Report.Reject(line, index, field, reason);
    }

    /// <summary>One <see cref="DeviceTelemetry"/> per device, in the order devices first appeared.</summary>
    public TelemetryBatch Build()
    {
        var result = new DeviceTelemetry[_order.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = _order[i].ToTelemetry();
        }
        return new TelemetryBatch(result, Report);
    }

    private static DateTimeOffset Time(long ticks) =>
        ticks is > 0 and < 3155378975999999999 ? new DateTimeOffset(ticks, TimeSpan.Zero) : DateTimeOffset.MinValue;

    private sealed class Accumulator(DeviceDescriptor device)
    {
        private readonly double[] _values = new double[MetricCatalog.Layout(device.Kind).Length];
        private readonly long[] _times = new long[MetricCatalog.Layout(device.Kind).Length];
        private readonly byte[] _priorities = new byte[MetricCatalog.Layout(device.Kind).Length];
        private ulong _set;
        private long _maxTime;

        public DeviceDescriptor Device { get; } = device;

        public void Set(int slot, double value, long ticks, byte priority)
        {
            var bit = 1UL << slot;
            if ((_set & bit) != 0 && (ticks < _times[slot] || (ticks == _times[slot] && priority < _priorities[slot])))
            {
                return;
            }
            _set |= bit;
            _values[slot] = value;
            _times[slot] = ticks;
            _priorities[slot] = priority;
            _maxTime = Math.Max(_maxTime, ticks);
        }

        public DeviceTelemetry ToTelemetry()
        {
            var layout = MetricCatalog.Layout(Device.Kind);
            var values = new MetricValue[BitOperations.PopCount(_set)];
            var n = 0;
            for (var slot = 0; slot < layout.Length; slot++)
            {
                if ((_set & (1UL << slot)) != 0)
                {
                    values[n++] = new MetricValue(layout[slot], _values[slot]);
                }
            }
            return new DeviceTelemetry(Device.Id, new DateTimeOffset(_maxTime, TimeSpan.Zero), values);
        }
    }
}
