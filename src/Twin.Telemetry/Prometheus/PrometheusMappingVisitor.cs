using System.Text;
using Twin.Model.Topology;
using Twin.Telemetry.Mapping;

namespace Twin.Telemetry.Prometheus;

/// <summary>
/// The hot loop of Prometheus ingestion: maps each parsed sample to (device, canonical metric, value, time) and feeds
/// the batch. Per sample it does one name check (the last name is remembered, and exporters write a family's series
/// together), one pass over the labels, a short UTF-8 → UTF-16 copy of the few label values that name the device into
/// a reused buffer, and a topology lookup on those spans. Strings are built only for errors that will be listed.
/// With <paramref name="indexed"/> (remote write), <see cref="PrometheusSample.Line"/> is the 1-based series number and
/// errors carry it as a 0-based index instead of a line.
/// </summary>
internal struct PrometheusMappingVisitor(TelemetryMapper mapper, TelemetryBatchBuilder batch, bool indexed = false, string? defaultHost = null) : IPrometheusSampleVisitor
{
    private const int ScratchChars = 2048;

    private readonly TelemetryMapper.LabelNames _labels = mapper.Labels;
    private readonly char[] _chars = new char[ScratchChars];
    private readonly byte[] _bytes = new byte[ScratchChars];
    private readonly byte[] _lastName = new byte[256];
    private int _lastNameLength = -1;
    private MetricMapping? _lastMapping;

    public void OnSample(in PrometheusSample sample)
    {
        var report = batch.Report;
        if (sample.Series != PrometheusSeriesKind.Value)
        {
            report.Skipped++;
            return;
        }
        var mapping = Lookup(sample.Name);
        if (mapping is null || mapping.Rule is MappingRule.HwStateOk or MappingRule.ByDirection)
        {
            // attribute-driven rules only arrive over OTLP; under Prometheus names they are not the twin's
            report.Skipped++;
            return;
        }

        var keys = new DeviceKeys { OnNic = mapping.OnNic };
        var chars = _chars.AsSpan();
        var used = 0;
        var hostRank = int.MaxValue;
        foreach (var label in sample.Labels)
        {
            var name = label.Name;
            if (name.SequenceEqual(_labels.Device))
            {
                keys.Device = Chars(label, chars, ref used);
            }
            if (name.SequenceEqual(_labels.Gpu))
            {
                keys.Gpu = Chars(label, chars, ref used);
            }
            if (mapping.OnNic && name.SequenceEqual(_labels.Nic))
            {
                keys.Nic = Chars(label, chars, ref used);
            }
            if (name.SequenceEqual(_labels.HwId))
            {
                keys.HwId = Chars(label, chars, ref used);
            }
            if (name.SequenceEqual(_labels.HwType))
            {
                keys.HwType = Chars(label, chars, ref used);
            }
            if (name.SequenceEqual(_labels.Uuid))
            {
                keys.Uuid = Chars(label, chars, ref used);
            }
            if (name.SequenceEqual(_labels.Model))
            {
                keys.Model = Chars(label, chars, ref used);
            }
            var hosts = _labels.Hosts;
            for (var h = 0; h < hosts.Length && h < hostRank; h++)
            {
                if (name.SequenceEqual(hosts[h]))
                {
                    keys.Host = Chars(label, chars, ref used);
                    hostRank = h;
                    break;
                }
            }
        }

        if (keys.Host.IsEmpty && defaultHost is not null)
        {
            // the push named its host (?host=, extra_label=instance=…, Pushgateway's /instance/I)
            keys.Host = defaultHost;
        }
        var device = mapper.Devices.Resolve(keys);
        if (device is null)
        {
            if (mapper.Discovered is { } discovered && !keys.Host.IsEmpty && keys.Device.IndexOf('/') < 0)
            {
                batch.Discover(discovered, keys);
            }
            if (report.Errors.Count < Contracts.Telemetry.IngestReport.MaxErrors)
            {
                report.Reject(Line(sample.Line), Index(sample.Line), Encoding.UTF8.GetString(sample.Name), DeviceResolver.Describe(keys), unknownDevice: true);
            }
            else
            {
                report.Reject(Line(sample.Line), Index(sample.Line), "", "", unknownDevice: true);
            }
            return;
        }

        var value = mapping.Convert(sample.Value);
        var ticks = sample.TimestampMs is { } ms ? UnixMsToTicks(ms) : 0;
        var verdict = batch.Add(device, mapping.Metric, value, ticks, mapping.Priority);
        if (verdict != SampleVerdict.Accepted)
        {
            Reject(verdict, sample, device, mapping, value, ticks);
        }
    }

    public void OnError(int line, ReadOnlySpan<byte> name, string reason)
    {
        var report = batch.Report;
        report.Reject(line, null, report.Errors.Count < Contracts.Telemetry.IngestReport.MaxErrors && !name.IsEmpty ? Encoding.UTF8.GetString(name) : "line", reason);
    }

    /// <summary>Unix ms → UTC ticks, clamped into DateTimeOffset's range (out-of-range stamps then fail the time window).</summary>
    internal static long UnixMsToTicks(long ms)
    {
        var maxMs = (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMillisecond;
        var minMs = -DateTimeOffset.UnixEpoch.UtcTicks / TimeSpan.TicksPerMillisecond + 1;
        return DateTimeOffset.UnixEpoch.UtcTicks + Math.Clamp(ms, minMs, maxMs) * TimeSpan.TicksPerMillisecond;
    }

    private readonly void Reject(SampleVerdict verdict, in PrometheusSample sample, DeviceDescriptor device, MetricMapping mapping, double value, long ticks)
    {
        var detail = batch.Report.Errors.Count < Contracts.Telemetry.IngestReport.MaxErrors;
        batch.Reject(verdict, Line(sample.Line), Index(sample.Line), detail ? Encoding.UTF8.GetString(sample.Name) : "", device, mapping.Metric, value, ticks);
    }

    private readonly int? Line(int line) => indexed ? null : line;

    private readonly int? Index(int line) => indexed ? line - 1 : null;

    private MetricMapping? Lookup(ReadOnlySpan<byte> name)
    {
        if (_lastNameLength == name.Length && name.SequenceEqual(_lastName.AsSpan(0, _lastNameLength)))
        {
            return _lastMapping;
        }
        Span<char> chars = stackalloc char[256];
        MetricMapping? mapping = null;
        if (name.Length <= chars.Length && Encoding.UTF8.TryGetChars(name, chars, out var n) && mapper.Names.TryGet(chars[..n], out var found))
        {
            mapping = found;
        }
        if (name.Length <= _lastName.Length)
        {
            name.CopyTo(_lastName);
            _lastNameLength = name.Length;
            _lastMapping = mapping;
        }
        return mapping;
    }

    private readonly ReadOnlySpan<char> Chars(PrometheusLabel label, Span<char> chars, scoped ref int used)
    {
        var n = label.GetValueChars(chars[used..], _bytes);
        if (n < 0)
        {
            return default; // a label value longer than any host or device name: treat it as absent
        }
        var value = chars.Slice(used, n);
        used += n;
        return value;
    }
}
