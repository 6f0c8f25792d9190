using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Twin.Contracts.Telemetry;
using Twin.Telemetry.Bodies;
using Twin.Telemetry.Mapping;
using Twin.Telemetry.Otlp.Wire;
using OtlpMetric = Twin.Telemetry.Otlp.Wire.Metric;

namespace Twin.Telemetry.Otlp;

/// <summary>
/// <c>POST /v1/metrics</c> (OTLP/HTTP): protobuf or OTLP/JSON into one batch. Gauges and sums become samples;
/// histograms, exponential histograms and summaries are counted as skipped. The device comes from resource
/// attributes (<c>host.name</c>, <c>hw.id</c>, ...) overridden by data-point attributes, resolved like labels.
/// Errors carry the data point's index within the request and the metric name as the field.
/// </summary>
public sealed class OtlpMetricsReader(TelemetryMapper mapper)
{
    // OTLP/JSON is the protobuf JSON mapping (camelCase names, 64-bit integers as strings, enums as numbers);
    // receivers must ignore fields they do not know, and this schema deliberately leaves many out
    private static readonly JsonParser Json = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private const string HwState = "hw.state";
    private const string NetworkDirection = "network.io.direction";

    /// <summary>Reads an <c>application/x-protobuf</c> body (gzip detected by its magic bytes), in place: see <see cref="OtlpProtobufReader"/>.</summary>
    public TelemetryBatch ReadProtobuf(ReadOnlyMemory<byte> body, DateTimeOffset now)
    {
        var bytes = GzipBody.Unwrap(body, mapper.Options.MaxDecompressedBytes);
        try
        {
            return OtlpProtobufReader.Read(mapper, bytes.Span, now);
        }
        catch (TelemetryFormatException e)
        {
            throw new TelemetryFormatException("the body is not an OTLP ExportMetricsServiceRequest: " + e.Message, e) { Position = e.Position };
        }
    }

    /// <summary>Reads an <c>application/json</c> OTLP body (gzip detected by its magic bytes).</summary>
    public TelemetryBatch ReadJson(ReadOnlyMemory<byte> body, DateTimeOffset now)
    {
        var bytes = GzipBody.Unwrap(body, mapper.Options.MaxDecompressedBytes);
        ExportMetricsServiceRequest request;
        try
        {
            request = Json.Parse<ExportMetricsServiceRequest>(Encoding.UTF8.GetString(bytes.Span));
        }
        catch (Exception e) when (e is InvalidJsonException or InvalidProtocolBufferException or FormatException)
        {
            throw new TelemetryFormatException("the body is not OTLP/JSON: " + e.Message, e);
        }
        return Read(request, now);
    }

    /// <summary>Maps a decoded request.</summary>
    public TelemetryBatch Read(ExportMetricsServiceRequest request, DateTimeOffset now)
    {
        var batch = mapper.CreateBatch(now);
        var report = batch.Report;
        var names = mapper.Options;
        var index = -1;
        foreach (var rm in request.ResourceMetrics)
        {
            var resource = new Keys(names);
            if (rm.Resource is { } r)
            {
                resource.Read(r.Attributes);
            }
            foreach (var sm in rm.ScopeMetrics)
            {
                foreach (var metric in sm.Metrics)
                {
                    RepeatedField<NumberDataPoint>? points = metric.DataCase switch
                    {
                        OtlpMetric.DataOneofCase.Gauge => metric.Gauge.DataPoints,
                        OtlpMetric.DataOneofCase.Sum => metric.Sum.DataPoints,
                        _ => null,
                    };
                    if (points is null)
                    {
                        var skipped = metric.DataCase switch
                        {
                            OtlpMetric.DataOneofCase.Histogram => metric.Histogram.DataPoints.Count,
                            OtlpMetric.DataOneofCase.ExponentialHistogram => metric.ExponentialHistogram.DataPoints.Count,
                            OtlpMetric.DataOneofCase.Summary => metric.Summary.DataPoints.Count,
                            _ => 0,
                        };
                        report.Skipped += skipped;
                        index += skipped;
                        continue;
                    }
                    if (!mapper.Names.TryGet(metric.Name, out var mapping))
                    {
                        report.Skipped += points.Count;
                        index += points.Count;
                        continue;
                    }
                    foreach (var point in points)
                    {
                        index++;
                        Point(batch, metric.Name, mapping, point, resource, index);
                    }
                }
            }
        }
        return batch.Build();
    }

    /// <summary>
    /// The OTLP answer: an empty response when everything was taken (or skipped), otherwise
    /// <c>partial_success</c> with the number of refused points and the first reasons.
    /// </summary>
    public static ExportMetricsServiceResponse CreateResponse(IngestReport report)
    {
        var response = new ExportMetricsServiceResponse();
        if (report.Rejected > 0)
        {
            var message = new StringBuilder();
            message.Append(CultureInfo.InvariantCulture, $"{report.Rejected} data points rejected ({report.UnknownDevices} for unknown devices)");
            foreach (var e in report.Errors.Take(5))
            {
                message.Append(CultureInfo.InvariantCulture, $"; [{e.Index}] {e.Field}: {e.Reason}");
            }
            response.PartialSuccess = new ExportMetricsPartialSuccess
            {
                RejectedDataPoints = report.Rejected,
                ErrorMessage = message.ToString(),
            };
        }
        return response;
    }

    private void Point(TelemetryBatchBuilder batch, string metricName, MetricMapping mapping, NumberDataPoint point, in Keys resource, int index)
    {
        var report = batch.Report;
        double value;
        switch (point.ValueCase)
        {
            case NumberDataPoint.ValueOneofCase.AsDouble:
                value = point.AsDouble;
                break;
            case NumberDataPoint.ValueOneofCase.AsInt:
                value = point.AsInt;
                break;
            default:
                report.Skipped++; // no recorded value: nothing to mirror, not an error
                return;
        }
        if ((point.Flags & 1) != 0)
        {
            report.Skipped++;
            return;
        }

        var keys = resource;
        keys.Read(point.Attributes);
        var metric = mapping.Metric;
        switch (mapping.Rule)
        {
            case MappingRule.HwStateOk:
                if (!string.Equals(keys.State, "ok", StringComparison.OrdinalIgnoreCase))
                {
                    // hw.status sends one point per state; the "ok" one says whether the device is up
                    report.Skipped++;
                    return;
                }
                break;
            case MappingRule.ByDirection:
                if (string.Equals(keys.Direction, "receive", StringComparison.OrdinalIgnoreCase))
                {
                    metric = mapping.Alternate;
                }
                break;
            default:
                value = mapping.Convert(value);
                break;
        }

        var deviceKeys = keys.ToDeviceKeys(mapping.OnNic);
        var device = mapper.Devices.Resolve(deviceKeys);
        if (device is null)
        {
            var detail = report.Errors.Count < IngestReport.MaxErrors;
            report.Reject(null, index, metricName, detail ? DeviceResolver.Describe(deviceKeys) : "", unknownDevice: true);
            return;
        }
        var ticks = point.TimeUnixNano == 0 ? 0
            : point.TimeUnixNano >= (ulong)(DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100 ? DateTimeOffset.MaxValue.UtcTicks
            : DateTimeOffset.UnixEpoch.UtcTicks + (long)(point.TimeUnixNano / 100);
        var verdict = batch.Add(device, metric, value, ticks, mapping.Priority);
        if (verdict != SampleVerdict.Accepted)
        {
            batch.Reject(verdict, null, index, metricName, device, metric, value, ticks);
        }
    }

    /// <summary>The attribute values that name a device, resource first, then overridden by the point's own.</summary>
    private struct Keys(TelemetryMappingOptions options)
    {
        private readonly TelemetryMappingOptions _options = options;
        private int _hostRank = int.MaxValue;

        public string? Device;
        public string? Host;
        public string? Gpu;
        public string? Nic;
        public string? HwId;
        public string? HwType;
        public string? State;
        public string? Direction;

        public void Read(RepeatedField<KeyValue> attributes)
        {
            foreach (var kv in attributes)
            {
                var key = kv.Key;
                if (key == _options.DeviceLabel)
                {
                    Device = Text(kv.Value);
                }
                if (key == _options.GpuLabel)
                {
                    Gpu = Text(kv.Value);
                }
                if (key == _options.NicDeviceLabel)
                {
                    Nic = Text(kv.Value);
                }
                if (key == _options.HwIdAttribute)
                {
                    HwId = Text(kv.Value);
                }
                if (key == _options.HwTypeAttribute)
                {
                    HwType = Text(kv.Value);
                }
                if (key == HwState)
                {
                    State = Text(kv.Value);
                }
                if (key == NetworkDirection)
                {
                    Direction = Text(kv.Value);
                }
                // the first-listed host label present wins; the point's own value replaces the resource's for the same label
                var rank = _options.HostLabels.IndexOf(key);
                if (rank >= 0 && rank <= _hostRank)
                {
                    Host = Text(kv.Value);
                    _hostRank = rank;
                }
            }
        }

        public readonly DeviceKeys ToDeviceKeys(bool onNic) => new()
        {
            Device = Device,
            Host = Host,
            Gpu = Gpu,
            Nic = Nic,
            HwId = HwId,
            HwType = HwType,
            OnNic = onNic,
        };

        private static string? Text(AnyValue? value) => value?.ValueCase switch
        {
            AnyValue.ValueOneofCase.StringValue => value.StringValue,
            AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
    }
}
