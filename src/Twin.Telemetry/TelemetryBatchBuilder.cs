using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
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
    // Per device a row of Row slots in pooled arrays (not an object and three arrays each: a 15 MB body names
    // 8,192 GPUs, and those were a third of what parsing allocated). Rented on first use, returned by Build.
    private static readonly int Row = Enum.GetValues<DeviceKind>().Max(k => MetricCatalog.Layout(k).Length);

    private readonly Dictionary<int, int> _rowByOrdinal = [];
    private HashSet<string>? _discovered;
    private readonly long _nowTicks;
    private readonly long _maxTicks;
    private readonly long _minTicks;
    private DeviceDescriptor[] _devices = [];
    private ulong[] _set = [];
    private long[] _maxTime = [];
    private double[] _values = [];
    private long[] _times = [];
    private byte[] _priorities = [];
    private int _count;
    private int _capacity;
    private int _last = -1;

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
    public int DeviceCount => _count;

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
        var row = _last;
        if (row < 0 || !ReferenceEquals(_devices[row], device))
        {
            if (!_rowByOrdinal.TryGetValue(device.Ordinal, out row) || !ReferenceEquals(_devices[row], device))
            {
                row = NewRow(device);
                _rowByOrdinal[device.Ordinal] = row;
            }
            _last = row;
        }
        Set(row, slot, value, utcTicks, priority);
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

    /// <summary>One <see cref="DeviceTelemetry"/> per device, in the order devices first appeared; the builder is spent after.</summary>
    /// <summary>Records an unresolved sample's host in <paramref name="discovered"/> and remembers it for the response.</summary>
    public void Discover(Discovery.DiscoveredHosts discovered, scoped in Mapping.DeviceKeys keys)
    {
        var host = keys.Host.ToString();
        var colon = host.LastIndexOf(':');
        if (colon > 0 && host.AsSpan(colon + 1).IndexOfAnyExceptInRange('0', '9') < 0)
        {
            host = host[..colon]; // instance="host:9400"
        }
        int? gpu = int.TryParse(keys.Gpu, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var g) ? g : null;
        if (discovered.Record(host, keys.OnNic ? null : gpu, keys.Uuid.IsEmpty ? null : keys.Uuid.ToString(),
                keys.Model.IsEmpty ? null : keys.Model.ToString(), keys.OnNic && !keys.Nic.IsEmpty ? keys.Nic.ToString() : null))
        {
            (_discovered ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase)).Add(host);
        }
    }

    public TelemetryBatch Build()
    {
        var result = new DeviceTelemetry[_count];
        for (var row = 0; row < result.Length; row++)
        {
            result[row] = ToTelemetry(row);
        }
        Release();
        return new TelemetryBatch(result, Report) { DiscoveredHosts = _discovered is null ? [] : [.. _discovered.Order(StringComparer.OrdinalIgnoreCase)] };
    }

    private static DateTimeOffset Time(long ticks) =>
        ticks is > 0 and < 3155378975999999999 ? new DateTimeOffset(ticks, TimeSpan.Zero) : DateTimeOffset.MinValue;

    private int NewRow(DeviceDescriptor device)
    {
        if (_count == _capacity)
        {
            Grow(Math.Max(256, _count * 2));
        }
        var row = _count++;
        _devices[row] = device;
        _set[row] = 0;
        _maxTime[row] = 0;
        return row;
    }

    private void Set(int row, int slot, double value, long ticks, byte priority)
    {
        var bit = 1UL << slot;
        var at = row * Row + slot;
        if ((_set[row] & bit) != 0 && (ticks < _times[at] || (ticks == _times[at] && priority < _priorities[at])))
        {
            return;
        }
        _set[row] |= bit;
        _values[at] = value;
        _times[at] = ticks;
        _priorities[at] = priority;
        _maxTime[row] = Math.Max(_maxTime[row], ticks);
    }

    private DeviceTelemetry ToTelemetry(int row)
    {
        var device = _devices[row];
        var layout = MetricCatalog.Layout(device.Kind);
        var set = _set[row];
        var values = new MetricValue[BitOperations.PopCount(set)];
        var n = 0;
        for (var slot = 0; slot < layout.Length; slot++)
        {
            if ((set & (1UL << slot)) != 0)
            {
                values[n++] = new MetricValue(layout[slot], _values[row * Row + slot]);
            }
        }
        return new DeviceTelemetry(device.Id, new DateTimeOffset(_maxTime[row], TimeSpan.Zero), values);
    }

    private void Grow(int rows)
    {
        _devices = Regrow(_devices, _count, rows);
        _set = Regrow(_set, _count, rows);
        _maxTime = Regrow(_maxTime, _count, rows);
        _values = Regrow(_values, _count * Row, rows * Row);
        _times = Regrow(_times, _count * Row, rows * Row);
        _priorities = Regrow(_priorities, _count * Row, rows * Row);
        _capacity = rows;
    }

    private static T[] Regrow<T>(T[] old, int used, int length)
    {
        var grown = ArrayPool<T>.Shared.Rent(length);
        old.AsSpan(0, used).CopyTo(grown);
        Return(old);
        return grown;
    }

    private void Release()
    {
        Return(_devices);
        Return(_set);
        Return(_maxTime);
        Return(_values);
        Return(_times);
        Return(_priorities);
        (_devices, _set, _maxTime, _values, _times, _priorities) = ([], [], [], [], [], []);
        _count = _capacity = 0;
        _last = -1;
        _rowByOrdinal.Clear();
    }

    private static void Return<T>(T[] array)
    {
        if (array.Length > 0)
        {
            // descriptors are references: clear them so the pool does not keep devices alive
            ArrayPool<T>.Shared.Return(array, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        }
    }
}
