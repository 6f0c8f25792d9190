using System.Text;
using System.Text.Json;
using Twin.Contracts.Telemetry;
using Twin.Model.Topology;
using Twin.Telemetry.Bodies;
using Twin.Telemetry.Mapping;

namespace Twin.Telemetry.Json;

/// <summary>
/// <c>POST /api/v1/telemetry</c>: the twin's own JSON batch,
/// <c>{"samples":[{"device":"east/gpu/h0001-0","time":"2026-11-24T10:00:00Z","metrics":{"temperature_c":61,"power_w":350}}]}</c>
/// (a bare array of samples is accepted too). <c>time</c> is optional (server time); metric names are canonical or any
/// mapped source name, and unlike scraped formats an unknown name here is an error, because the sender wrote the body for
/// the twin. Bad items are reported with their index and field (<c>samples[3].metrics.temp</c>) and the rest is applied;
/// a body that is not JSON throws <see cref="TelemetryFormatException"/> naming line and position.
/// </summary>
public sealed class JsonTelemetryReader(TelemetryMapper mapper)
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Reads a body that may be gzip-compressed.</summary>
    public TelemetryBatch Read(ReadOnlyMemory<byte> body, DateTimeOffset now) =>
        Read(GzipBody.Unwrap(body, mapper.Options.MaxDecompressedBytes).Span, now);

    /// <summary>Reads a UTF-8 JSON body.</summary>
    public TelemetryBatch Read(ReadOnlySpan<byte> utf8, DateTimeOffset now)
    {
        var batch = mapper.CreateBatch(now);
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        try
        {
            if (!reader.Read())
            {
                throw new TelemetryFormatException("the body is empty; expected {\"samples\":[...]}");
            }
            var found = false;
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                Items(ref reader, batch);
                found = true;
            }
            else if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isSamples = reader.ValueTextEquals("samples"u8);
                    reader.Read();
                    if (isSamples && reader.TokenType == JsonTokenType.StartArray)
                    {
                        Items(ref reader, batch);
                        found = true;
                    }
                    else if (isSamples)
                    {
                        throw Format("\"samples\" must be an array", reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            if (!found)
            {
                throw Format("expected {\"samples\":[...]}", reader);
            }
            while (reader.Read())
            {
                // validates whatever follows, so trailing garbage is a format error rather than silently ignored
            }
        }
        catch (JsonException e)
        {
            throw new TelemetryFormatException(
                $"the body is not valid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {e.Message}", e)
            {
                Line = e.LineNumber + 1,
                Position = e.BytePositionInLine + 1,
            };
        }
        return batch.Build();
    }

    private static TelemetryFormatException Format(string message, in Utf8JsonReader reader) =>
        new($"{message} (byte {reader.TokenStartIndex})") { Position = reader.TokenStartIndex };

    private void Items(ref Utf8JsonReader reader, TelemetryBatchBuilder batch)
    {
        var index = -1;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            index++;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                batch.Report.Reject(null, index, $"samples[{index}]", "expected an object with device, time and metrics");
                reader.Skip();
                continue;
            }
            Item(ref reader, batch, index);
        }
    }

    private void Item(ref Utf8JsonReader reader, TelemetryBatchBuilder batch, int index)
    {
        var report = batch.Report;
        Span<char> idChars = stackalloc char[256];
        DeviceDescriptor? device = null;
        string? problemField = null;
        string? problem = null;
        var unknownDevice = false;
        var sawDevice = false;
        long ticks = 0;
        var metrics = default(Utf8JsonReader);
        var sawMetrics = false;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("device"u8))
            {
                reader.Read();
                sawDevice = true;
                if (reader.TokenType != JsonTokenType.String)
                {
                    (problemField, problem) = ("device", "must be a string such as \"east/gpu/h0001-0\"");
                }
                else if (reader.ValueIsEscaped || reader.ValueSpan.Length > idChars.Length)
                {
                    device = mapper.Topology.Find(reader.GetString()!);
                }
                else
                {
                    var n = Encoding.UTF8.GetChars(reader.ValueSpan, idChars);
                    device = mapper.Topology.TryGet(idChars[..n], out var d) ? d : null;
                }
                if (device is null && problem is null)
                {
                    (problemField, problem, unknownDevice) = ("device", $"unknown device \"{reader.GetString()}\"", true);
                }
            }
            else if (reader.ValueTextEquals("time"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var time))
                {
                    ticks = time.UtcTicks;
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    (problemField, problem) = ("time", "must be an ISO 8601 time such as \"2026-11-24T10:00:00Z\"");
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("metrics"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    metrics = reader; // come back once device and time are known, whatever the property order
                    sawMetrics = true;
                }
                else
                {
                    (problemField, problem) = ("metrics", "must be an object of metric name → number");
                }
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (!sawDevice && problem is null)
        {
            (problemField, problem) = ("device", "is required");
        }
        if (!sawMetrics && problem is null)
        {
            (problemField, problem) = ("metrics", "is required");
        }
        if (problem is not null)
        {
            // the whole item is refused: one error, every metric in it counted
            var count = sawMetrics ? Math.Max(1, CountMetrics(metrics)) : 1;
            report.Reject(null, index, $"samples[{index}].{problemField}", problem, unknownDevice);
            report.Rejected += count - 1;
            if (unknownDevice)
            {
                report.UnknownDevices += count - 1;
            }
            return;
        }
        Metrics(ref metrics, batch, device!, ticks, index);
    }

    private static int CountMetrics(Utf8JsonReader metrics)
    {
        var n = 0;
        while (metrics.Read() && metrics.TokenType == JsonTokenType.PropertyName)
        {
            n++;
            metrics.Read();
            metrics.Skip();
        }
        return n;
    }

    private void Metrics(ref Utf8JsonReader reader, TelemetryBatchBuilder batch, DeviceDescriptor device, long ticks, int index)
    {
        var report = batch.Report;
        Span<char> nameChars = stackalloc char[128];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            scoped ReadOnlySpan<char> name;
            if (!reader.ValueIsEscaped && reader.ValueSpan.Length <= nameChars.Length)
            {
                name = nameChars[..Encoding.UTF8.GetChars(reader.ValueSpan, nameChars)];
            }
            else
            {
                name = reader.GetString();
            }
            var known = mapper.Names.TryGet(name, out var mapping);
            reader.Read();
            if (!known)
            {
                report.Reject(null, index, Field(index, name), "unknown metric name (see the canonical names in the README)");
                reader.Skip();
                continue;
            }
            double value;
            switch (reader.TokenType)
            {
                case JsonTokenType.Number when reader.TryGetDouble(out value) && double.IsFinite(value):
                    break;
                case JsonTokenType.True:
                    value = 1;
                    break;
                case JsonTokenType.False:
                    value = 0;
                    break;
                default:
                    report.Reject(null, index, Field(index, name), "must be a finite number (or true/false)");
                    reader.Skip();
                    continue;
            }
            value = mapping.Convert(value);
            var verdict = batch.Add(device, mapping.Metric, value, ticks, mapping.Priority);
            if (verdict != SampleVerdict.Accepted)
            {
                batch.Reject(verdict, null, index, Field(index, name), device, mapping.Metric, value, ticks);
            }
        }
    }

    private static string Field(int index, ReadOnlySpan<char> name) => $"samples[{index}].metrics.{name}";
}
