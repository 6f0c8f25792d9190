using System.Buffers;
using Snappier;
using Twin.Telemetry.Prometheus;
using Twin.Telemetry.Protobuf;

namespace Twin.Telemetry.RemoteWrite;

/// <summary>
/// <c>POST /api/v1/write</c>: a Prometheus remote-write 1.0 body (snappy block format around a protobuf
/// <c>prometheus.WriteRequest</c>) into one batch, mapped exactly like the text endpoint (the same visitor sees each
/// sample, with the <c>__name__</c> label as its name). The protobuf is read in place by <see cref="ProtoReader"/>:
/// labels become ranges over the decompressed buffer, nothing is allocated per series.
/// <para>
/// WriteRequest: <c>timeseries = 1</c> (repeated TimeSeries), <c>metadata = 3</c> (skipped). TimeSeries:
/// <c>labels = 1</c> (Label: <c>name = 1</c>, <c>value = 2</c>), <c>samples = 2</c> (Sample: <c>value = 1</c> double,
/// <c>timestamp = 2</c> int64 ms); exemplars and native histograms are skipped.
/// </para>
/// A body that is not snappy or whose envelope is truncated is a <see cref="TelemetryFormatException"/> (400); one
/// that would decompress past <c>MaxDecompressedBytes</c> is one with <see cref="TelemetryFormatException.TooLarge"/>
/// (413). A series that is malformed inside an intact envelope, or has no <c>__name__</c>, is rejected with its
/// index and the rest is applied. Staleness markers (the NaN Prometheus writes when a series disappears) are skipped.
/// </summary>
public sealed class RemoteWriteIngest(TelemetryMapper mapper)
{
    /// <summary>The NaN bit pattern Prometheus uses to mark a series stale (value.StaleNaN).</summary>
    public const ulong StaleNaNBits = 0x7ff0000000000002;

    private const int LabelsField = 1;
    private const int SamplesField = 2;

    /// <summary>Decompresses and reads a snappy-compressed WriteRequest.</summary>
    public TelemetryBatch Ingest(ReadOnlySpan<byte> snappy, DateTimeOffset now)
    {
        int length;
        try
        {
            length = Snappy.GetUncompressedLength(snappy);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            throw new TelemetryFormatException("the body is not snappy-compressed (block format): " + e.Message, e) { Position = 0 };
        }
        var max = mapper.Options.MaxDecompressedBytes;
        if (length > max)
        {
            throw new TelemetryFormatException($"the body is {length:N0} bytes once decompressed; the limit is {max:N0}") { TooLarge = true };
        }
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            int written;
            try
            {
                written = Snappy.Decompress(snappy, buffer);
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentException)
            {
                throw new TelemetryFormatException("the body is not a valid snappy block: " + e.Message, e);
            }
            return Read(buffer.AsSpan(0, written), now);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads an uncompressed WriteRequest.</summary>
    public TelemetryBatch Read(ReadOnlySpan<byte> writeRequest, DateTimeOffset now)
    {
        var batch = mapper.CreateBatch(now);
        var visitor = new PrometheusMappingVisitor(mapper, batch, indexed: true);
        Span<LabelRange> ranges = stackalloc LabelRange[PrometheusTextParser.MaxLabels];
        var reader = new ProtoReader(writeRequest);
        var index = 0;
        while (reader.TryReadTag(out var field, out var type))
        {
            if (field == 1)
            {
                reader.Expect(type, WireType.LengthDelimited, field);
                Series(reader.ReadMessage(), index++, ranges, batch, ref visitor);
            }
            else
            {
                reader.Skip(type); // metadata (3) and anything newer
            }
        }
        return batch.Build();
    }

    private static void Series(ProtoReader series, int index, Span<LabelRange> ranges, TelemetryBatchBuilder batch, ref PrometheusMappingVisitor visitor)
    {
        var buffer = series.Buffer;
        int nameStart = -1, nameLength = 0, labels = 0, samples = 0;
        string? problem = null;
        // pass 1: labels, and the samples' structure (fields may come in any order; reject the series as a whole)
        var first = series;
        try
        {
            while (first.TryReadTag(out var field, out var type))
            {
                if (field == LabelsField)
                {
                    first.Expect(type, WireType.LengthDelimited, field);
                    var (n, nl, v, vl) = Label(first.ReadMessage());
                    if (buffer.Slice(n, nl).SequenceEqual("__name__"u8))
                    {
                        (nameStart, nameLength) = (v, vl);
                    }
                    else if (labels < ranges.Length)
                    {
                        ranges[labels++] = new LabelRange(n, nl, v, vl, Escaped: false);
                    }
                    else
                    {
                        problem ??= $"more than {ranges.Length} labels";
                    }
                }
                else if (field == SamplesField)
                {
                    first.Expect(type, WireType.LengthDelimited, field);
                    Sample(first.ReadMessage(), out _, out _);
                    samples++;
                }
                else
                {
                    first.Skip(type);
                }
            }
        }
        catch (TelemetryFormatException e)
        {
            problem = e.Message;
        }
        if (nameStart < 0 || nameLength == 0)
        {
            problem ??= "the series has no __name__ label";
        }
        if (problem is not null)
        {
            var name = nameStart >= 0 ? System.Text.Encoding.UTF8.GetString(buffer.Slice(nameStart, nameLength)) : "timeseries";
            for (var s = 0; s < Math.Max(samples, 1); s++)
            {
                batch.Report.Reject(null, index, name, problem);
            }
            return;
        }

        // pass 2: every sample of the series through the text endpoint's mapping
        var name2 = buffer.Slice(nameStart, nameLength);
        var set = new PrometheusLabels(buffer, ranges[..labels]);
        while (series.TryReadTag(out var field, out var type))
        {
            if (field != SamplesField)
            {
                series.Skip(type);
                continue;
            }
            Sample(series.ReadMessage(), out var value, out var timestampMs);
            if (BitConverter.DoubleToUInt64Bits(value) == StaleNaNBits)
            {
                batch.Report.Skipped++;
                continue;
            }
            visitor.OnSample(new PrometheusSample(name2, name2, PrometheusMetricType.Untyped, PrometheusSeriesKind.Value, set, value, timestampMs, index + 1));
        }
    }

    private static (int Name, int NameLength, int Value, int ValueLength) Label(ProtoReader label)
    {
        int name = label.Position, nameLength = 0, value = label.Position, valueLength = 0;
        while (label.TryReadTag(out var field, out var type))
        {
            switch (field)
            {
                case 1:
                    label.Expect(type, WireType.LengthDelimited, field);
                    nameLength = label.ReadBytes(out name).Length;
                    break;
                case 2:
                    label.Expect(type, WireType.LengthDelimited, field);
                    valueLength = label.ReadBytes(out value).Length;
                    break;
                default:
                    label.Skip(type);
                    break;
            }
        }
        return (name, nameLength, value, valueLength);
    }

    private static void Sample(ProtoReader sample, out double value, out long timestampMs)
    {
        value = 0;
        timestampMs = 0;
        while (sample.TryReadTag(out var field, out var type))
        {
            switch (field)
            {
                case 1:
                    sample.Expect(type, WireType.Fixed64, field);
                    value = sample.ReadDouble();
                    break;
                case 2:
                    sample.Expect(type, WireType.Varint, field);
                    timestampMs = (long)sample.ReadVarint();
                    break;
                default:
                    sample.Skip(type);
                    break;
            }
        }
    }
}
