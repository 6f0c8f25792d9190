using System.Buffers.Text;
using System.Text;
using Twin.Contracts.Telemetry;
using Twin.Telemetry.Mapping;
using Twin.Telemetry.Protobuf;

namespace Twin.Telemetry.Otlp;

/// <summary>
/// The hot path of <c>POST /v1/metrics</c> with <c>application/x-protobuf</c>: an <c>ExportMetricsServiceRequest</c>
/// read in place with <see cref="ProtoReader"/> (no object per resource, metric, point or attribute), mapped exactly
/// as <see cref="OtlpMetricsReader.Read"/> maps the decoded object graph (the JSON path still builds that graph).
/// Attribute values stay UTF-8 spans over the body until the few that name a device are copied to chars for the
/// topology lookup. Field numbers are those of opentelemetry-proto's metrics v1 (see <c>metrics.proto</c>).
/// </summary>
internal static class OtlpProtobufReader
{
    // scratch: one 24-byte slot per key for integer attribute values written as text (resource and point apart)
    private const int KeySlots = 8;
    private const int SlotBytes = 24;
    private const int ScratchChars = 2048;

    public static TelemetryBatch Read(TelemetryMapper mapper, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var batch = mapper.CreateBatch(now);
        var context = new Context(mapper, batch);
        var index = -1;
        var request = new ProtoReader(body);
        while (request.TryReadTag(out var field, out var type))
        {
            if (field == 1)
            {
                request.Expect(type, WireType.LengthDelimited, field);
                ResourceMetrics(request.ReadMessage(), context, ref index);
            }
            else
            {
                request.Skip(type);
            }
        }
        return batch.Build();
    }

    private static void ResourceMetrics(ProtoReader rm, Context context, ref int index)
    {
        // the resource may follow its scope metrics on the wire: read it first
        var resource = new Keys(context.Names, context.ResourceScratch);
        var scan = rm;
        while (scan.TryReadTag(out var field, out var type))
        {
            if (field == 1)
            {
                scan.Expect(type, WireType.LengthDelimited, field);
                var r = scan.ReadMessage();
                while (r.TryReadTag(out var f, out var t))
                {
                    if (f == 1)
                    {
                        r.Expect(t, WireType.LengthDelimited, f);
                        resource.Read(r.ReadMessage());
                    }
                    else
                    {
                        r.Skip(t);
                    }
                }
            }
            else
            {
                scan.Skip(type);
            }
        }
        while (rm.TryReadTag(out var field, out var type))
        {
            if (field != 2)
            {
                rm.Skip(type);
                continue;
            }
            rm.Expect(type, WireType.LengthDelimited, field);
            var sm = rm.ReadMessage();
            while (sm.TryReadTag(out var f, out var t))
            {
                if (f == 2)
                {
                    sm.Expect(t, WireType.LengthDelimited, f);
                    Metric(sm.ReadMessage(), context, resource, ref index);
                }
                else
                {
                    sm.Skip(t);
                }
            }
        }
    }

    private static void Metric(ProtoReader metric, Context context, scoped in Keys resource, ref int index)
    {
        // name and the data oneof (the last one on the wire wins, as in any protobuf parser)
        ReadOnlySpan<byte> name = default;
        var dataField = 0;
        var data = default(ProtoReader);
        while (metric.TryReadTag(out var field, out var type))
        {
            switch (field)
            {
                case 1:
                    metric.Expect(type, WireType.LengthDelimited, field);
                    name = metric.ReadBytes();
                    break;
                case 5 or 7 or 9 or 10 or 11:
                    metric.Expect(type, WireType.LengthDelimited, field);
                    data = metric.ReadMessage();
                    dataField = field;
                    break;
                default:
                    metric.Skip(type);
                    break;
            }
        }
        if (dataField == 0)
        {
            return;
        }
        var report = context.Batch.Report;
        if (dataField is not (5 or 7))
        {
            // histogram, exponential histogram, summary: counted as skipped, each point keeps its index
            var skipped = CountPoints(data);
            report.Skipped += skipped;
            index += skipped;
            return;
        }
        if (!context.TryMapping(name, out var mapping))
        {
            var skipped = CountPoints(data);
            report.Skipped += skipped;
            index += skipped;
            return;
        }
        while (data.TryReadTag(out var field, out var type))
        {
            if (field == 1)
            {
                data.Expect(type, WireType.LengthDelimited, field);
                index++;
                Point(data.ReadMessage(), context, name, mapping, resource, index);
            }
            else
            {
                data.Skip(type);
            }
        }
    }

    private static int CountPoints(ProtoReader data)
    {
        var n = 0;
        while (data.TryReadTag(out var field, out var type))
        {
            if (field == 1)
            {
                n++;
            }
            data.Skip(type);
        }
        return n;
    }

    private static void Point(ProtoReader point, Context context, ReadOnlySpan<byte> metricName, MetricMapping mapping, scoped in Keys resource, int index)
    {
        var batch = context.Batch;
        var report = batch.Report;
        var keys = resource.ForPoint(context.PointScratch);
        double value = 0;
        var hasValue = false;
        ulong time = 0;
        ulong flags = 0;
        while (point.TryReadTag(out var field, out var type))
        {
            switch (field)
            {
                case 3:
                    point.Expect(type, WireType.Fixed64, field);
                    time = point.ReadFixed64();
                    break;
                case 4:
                    point.Expect(type, WireType.Fixed64, field);
                    value = point.ReadDouble();
                    hasValue = true;
                    break;
                case 6:
                    point.Expect(type, WireType.Fixed64, field);
                    value = (long)point.ReadFixed64();
                    hasValue = true;
                    break;
                case 7:
                    point.Expect(type, WireType.LengthDelimited, field);
                    keys.Read(point.ReadMessage());
                    break;
                case 8:
                    point.Expect(type, WireType.Varint, field);
                    flags = point.ReadVarint();
                    break;
                default:
                    point.Skip(type);
                    break;
            }
        }
        if (!hasValue || (flags & 1) != 0)
        {
            report.Skipped++; // no recorded value: nothing to mirror, not an error
            return;
        }

        var metric = mapping.Metric;
        switch (mapping.Rule)
        {
            case MappingRule.HwStateOk:
                if (!Ascii.EqualsIgnoreCase(keys.State, "ok"u8))
                {
                    report.Skipped++; // hw.status sends one point per state; the "ok" one says whether the device is up
                    return;
                }
                break;
            case MappingRule.ByDirection:
                if (Ascii.EqualsIgnoreCase(keys.Direction, "receive"u8))
                {
                    metric = mapping.Alternate;
                }
                break;
            default:
                value = mapping.Convert(value);
                break;
        }

        Span<char> chars = context.Chars;
        var used = 0;
        var deviceKeys = new DeviceKeys
        {
            Device = Chars(keys.Device, chars, ref used),
            Host = Chars(keys.Host, chars, ref used),
            Gpu = Chars(keys.Gpu, chars, ref used),
            Nic = Chars(keys.Nic, chars, ref used),
            HwId = Chars(keys.HwId, chars, ref used),
            HwType = Chars(keys.HwType, chars, ref used),
            OnNic = mapping.OnNic,
        };
        var device = context.Mapper.Devices.Resolve(deviceKeys);
        if (device is null)
        {
            var detail = report.Errors.Count < IngestReport.MaxErrors;
            report.Reject(null, index, detail ? Encoding.UTF8.GetString(metricName) : "", detail ? DeviceResolver.Describe(deviceKeys) : "", unknownDevice: true);
            return;
        }
        var ticks = time == 0 ? 0
            : time >= (ulong)(DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100 ? DateTimeOffset.MaxValue.UtcTicks
            : DateTimeOffset.UnixEpoch.UtcTicks + (long)(time / 100);
        var verdict = batch.Add(device, metric, value, ticks, mapping.Priority);
        if (verdict != SampleVerdict.Accepted)
        {
            batch.Reject(verdict, null, index, report.Errors.Count < IngestReport.MaxErrors ? Encoding.UTF8.GetString(metricName) : "", device, metric, value, ticks);
        }
    }

    private static ReadOnlySpan<char> Chars(ReadOnlySpan<byte> utf8, Span<char> chars, scoped ref int used)
    {
        if (utf8.IsEmpty || !Encoding.UTF8.TryGetChars(utf8, chars[used..], out var n))
        {
            return default; // absent, or longer than any host or device name
        }
        var value = chars.Slice(used, n);
        used += n;
        return value;
    }

    /// <summary>Per-request state: the mapper, the batch, reused scratch buffers and the last metric name's mapping.</summary>
    private sealed class Context(TelemetryMapper mapper, TelemetryBatchBuilder batch)
    {
        private readonly byte[] _lastName = new byte[256];
        private int _lastNameLength = -1;
        private MetricMapping? _lastMapping;

        public TelemetryMapper Mapper { get; } = mapper;

        public TelemetryBatchBuilder Batch { get; } = batch;

        public TelemetryMapper.LabelNames Names { get; } = mapper.Labels;

        public byte[] ResourceScratch { get; } = new byte[KeySlots * SlotBytes];

        public byte[] PointScratch { get; } = new byte[KeySlots * SlotBytes];

        public char[] Chars { get; } = new char[ScratchChars];

        /// <summary>The mapping of a metric name (exporters send a metric's points together; the last name is remembered).</summary>
        public bool TryMapping(ReadOnlySpan<byte> name, out MetricMapping mapping)
        {
            if (_lastNameLength != name.Length || !name.SequenceEqual(_lastName.AsSpan(0, Math.Max(_lastNameLength, 0))))
            {
                Span<char> chars = stackalloc char[256];
                _lastMapping = name.Length <= chars.Length && Encoding.UTF8.TryGetChars(name, chars, out var n) && Mapper.Names.TryGet(chars[..n], out var found)
                    ? found
                    : null;
                if (name.Length <= _lastName.Length)
                {
                    name.CopyTo(_lastName);
                    _lastNameLength = name.Length;
                }
                else
                {
                    _lastNameLength = -1;
                }
            }
            mapping = _lastMapping!;
            return _lastMapping is not null;
        }
    }

    /// <summary>The attribute values that name a device, as UTF-8 spans: the resource's, then overridden by the point's own.</summary>
    private ref struct Keys
    {
        private readonly TelemetryMapper.LabelNames _names;
        private readonly Span<byte> _scratch;
        private int _hostRank;

        public ReadOnlySpan<byte> Device;
        public ReadOnlySpan<byte> Host;
        public ReadOnlySpan<byte> Gpu;
        public ReadOnlySpan<byte> Nic;
        public ReadOnlySpan<byte> HwId;
        public ReadOnlySpan<byte> HwType;
        public ReadOnlySpan<byte> State;
        public ReadOnlySpan<byte> Direction;

        public Keys(TelemetryMapper.LabelNames names, Span<byte> scratch)
        {
            _names = names;
            _scratch = scratch;
            _hostRank = int.MaxValue;
        }

        /// <summary>A copy for one data point: the resource's values, and integer values written to the point's own scratch.</summary>
        public readonly Keys ForPoint(Span<byte> scratch) => new(_names, scratch)
        {
            _hostRank = _hostRank,
            Device = Device,
            Host = Host,
            Gpu = Gpu,
            Nic = Nic,
            HwId = HwId,
            HwType = HwType,
            State = State,
            Direction = Direction,
        };

        /// <summary>Reads one KeyValue.</summary>
        public void Read(ProtoReader keyValue)
        {
            ReadOnlySpan<byte> key = default;
            var value = default(ProtoReader);
            var hasValue = false;
            while (keyValue.TryReadTag(out var field, out var type))
            {
                if (field == 1)
                {
                    keyValue.Expect(type, WireType.LengthDelimited, field);
                    key = keyValue.ReadBytes();
                }
                else if (field == 2)
                {
                    keyValue.Expect(type, WireType.LengthDelimited, field);
                    value = keyValue.ReadMessage();
                    hasValue = true;
                }
                else
                {
                    keyValue.Skip(type);
                }
            }
            var slot = Slot(key);
            var text = slot >= 0 && hasValue ? Text(value, _scratch.Slice(slot * SlotBytes, SlotBytes)) : default;
            switch (slot)
            {
                case 0: Device = text; break;
                case 1: Gpu = text; break;
                case 2: Nic = text; break;
                case 3: HwId = text; break;
                case 4: HwType = text; break;
                case 5: State = text; break;
                case 6: Direction = text; break;
            }
            // the first-listed host label present wins; the point's own value replaces the resource's for the same label
            var hosts = _names.Hosts;
            for (var rank = 0; rank < hosts.Length; rank++)
            {
                if (key.SequenceEqual(hosts[rank]))
                {
                    if (rank <= _hostRank)
                    {
                        Host = hasValue ? Text(value, _scratch.Slice(7 * SlotBytes, SlotBytes)) : default;
                        _hostRank = rank;
                    }
                    break;
                }
            }
        }

        private readonly int Slot(ReadOnlySpan<byte> key) =>
            key.SequenceEqual(_names.Device) ? 0
            : key.SequenceEqual(_names.Gpu) ? 1
            : key.SequenceEqual(_names.Nic) ? 2
            : key.SequenceEqual(_names.HwId) ? 3
            : key.SequenceEqual(_names.HwType) ? 4
            : key.SequenceEqual("hw.state"u8) ? 5
            : key.SequenceEqual("network.io.direction"u8) ? 6
            : -1;

        /// <summary>An AnyValue as text: string values as they are, integers formatted into <paramref name="slot"/>, others absent.</summary>
        private static ReadOnlySpan<byte> Text(ProtoReader anyValue, Span<byte> slot)
        {
            ReadOnlySpan<byte> text = default;
            while (anyValue.TryReadTag(out var field, out var type))
            {
                if (field == 1 && type == WireType.LengthDelimited)
                {
                    text = anyValue.ReadBytes();
                }
                else if (field == 3 && type == WireType.Varint)
                {
                    var n = (long)anyValue.ReadVarint();
                    text = Utf8Formatter.TryFormat(n, slot, out var written) ? slot[..written] : default;
                }
                else
                {
                    anyValue.Skip(type);
                    text = default; // another kind of value (bool, double, array): not a name
                }
            }
            return text;
        }
    }
}
