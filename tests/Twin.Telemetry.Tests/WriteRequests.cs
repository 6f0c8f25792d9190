using Google.Protobuf;
using Snappier;

namespace Twin.Telemetry.Tests;

/// <summary>
/// Builds remote-write bodies the way Prometheus does (prometheus.WriteRequest written field by field with
/// Google.Protobuf's encoder, then snappy block format), independently of the reader under test.
/// </summary>
internal static class WriteRequests
{
    public sealed record Series(IReadOnlyList<(string Name, string Value)> Labels, IReadOnlyList<(double Value, long TimestampMs)> Samples);

    public static Series Gpu(string metric, string host, int gpu, double value, long timestampMs) =>
        new([("__name__", metric), ("Hostname", host), ("gpu", gpu.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("job", "dcgm")],
            [(value, timestampMs)]);

    public static byte[] Encode(params Series[] series)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        foreach (var s in series)
        {
            var body = SeriesBytes(s);
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(body));
        }
        // a metadata entry (field 3), as Prometheus sends: the reader skips it
        output.WriteTag(3, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.Varint);
            o.WriteEnum(2);
            o.WriteTag(2, WireFormat.WireType.LengthDelimited);
            o.WriteString("DCGM_FI_DEV_GPU_TEMP");
        })));
        output.Flush();
        return stream.ToArray();
    }

    public static byte[] Snappy(byte[] raw) => Snappier.Snappy.CompressToArray(raw);

    public static byte[] SeriesBytes(Series s) => Message(o =>
    {
        foreach (var (name, value) in s.Labels)
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(Message(l =>
            {
                l.WriteTag(1, WireFormat.WireType.LengthDelimited);
                l.WriteString(name);
                l.WriteTag(2, WireFormat.WireType.LengthDelimited);
                l.WriteString(value);
            })));
        }
        foreach (var (value, ts) in s.Samples)
        {
            o.WriteTag(2, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(Message(p =>
            {
                p.WriteTag(1, WireFormat.WireType.Fixed64);
                p.WriteDouble(value);
                p.WriteTag(2, WireFormat.WireType.Varint);
                p.WriteInt64(ts);
            })));
        }
    });

    public static byte[] Message(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        write(output);
        output.Flush();
        return stream.ToArray();
    }
}
