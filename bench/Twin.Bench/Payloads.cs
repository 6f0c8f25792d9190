using System.Globalization;
using System.Text;
using Google.Protobuf;
using Twin.Model.Devices;
using Twin.Model.Topology;
using Twin.Telemetry.Otlp.Wire;

namespace Twin.Bench;

/// <summary>Telemetry bodies shaped like what real exporters send, for a slice of a topology's GPUs.</summary>
public static class Payloads
{
    /// <summary>The dcgm-exporter fields each GPU reports in the text bodies.</summary>
    public static readonly string[] DcgmFields =
    [
        "DCGM_FI_DEV_GPU_TEMP", "DCGM_FI_DEV_POWER_USAGE", "DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_SM_CLOCK", "DCGM_FI_DEV_MEM_CLOCK",
        "DCGM_FI_DEV_MEMORY_TEMP", "DCGM_FI_DEV_FB_USED", "DCGM_FI_DEV_FB_FREE", "DCGM_FI_DEV_XID_ERRORS", "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE",
    ];

    public static List<DeviceDescriptor> Gpus(FactoryTopology topology) => topology.Devices.Where(d => d.Kind == DeviceKind.Gpu).ToList();

    /// <summary>dcgm-exporter text: HELP/TYPE per field, then one line per GPU with its full label set.</summary>
    public static byte[] DcgmText(IReadOnlyList<DeviceDescriptor> gpus, int round)
    {
        var sb = new StringBuilder(gpus.Count * DcgmFields.Length * 190);
        foreach (var field in DcgmFields)
        {
            sb.Append("# HELP ").Append(field).Append(" dcgm field\n# TYPE ").Append(field).Append(" gauge\n");
            foreach (var g in gpus)
            {
                sb.Append(field).Append("{gpu=\"").Append(g.Index).Append("\",UUID=\"GPU-").Append(g.Ordinal.ToString("x8", CultureInfo.InvariantCulture))
                    .Append("-0000-4000-8000-000000000000\",pci_bus_id=\"00000000:").Append((0x18 + g.Index).ToString("X2", CultureInfo.InvariantCulture))
                    .Append(":00.0\",device=\"nvidia").Append(g.Index).Append("\",modelName=\"NVIDIA H100 80GB HBM3\",Hostname=\"")
                    .Append(FactoryTopology.HostName(g.Site, g.Host!)).Append("\"} ")
                    .Append(Value(field, g.Ordinal + round).ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>dcgm-exporter text for all <paramref name="gpus"/>, in bodies of <paramref name="perBody"/> GPUs: [round][body].</summary>
    public static byte[][][] DcgmBodies(IReadOnlyList<DeviceDescriptor> gpus, int perBody, int rounds) =>
        [.. Enumerable.Range(0, rounds).Select(r => gpus.Chunk(perBody).Select(c => DcgmText(c, r)).ToArray())];

    /// <summary>The same readings as a JSON batch with canonical names.</summary>
    public static byte[] Json(IReadOnlyList<DeviceDescriptor> gpus, int round)
    {
        var sb = new StringBuilder(gpus.Count * 300);
        sb.Append("{\"samples\":[");
        for (var i = 0; i < gpus.Count; i++)
        {
            var g = gpus[i];
            var v = g.Ordinal + round;
            sb.Append(i == 0 ? "" : ",").Append("{\"device\":\"").Append(g.Id).Append("\",\"metrics\":{")
                .Append("\"temperature_c\":").Append(Value("DCGM_FI_DEV_GPU_TEMP", v))
                .Append(",\"power_w\":").Append(Value("DCGM_FI_DEV_POWER_USAGE", v))
                .Append(",\"utilization\":").Append((Value("DCGM_FI_DEV_GPU_UTIL", v) / 100).ToString(CultureInfo.InvariantCulture))
                .Append(",\"sm_clock_mhz\":").Append(Value("DCGM_FI_DEV_SM_CLOCK", v))
                .Append(",\"mem_clock_mhz\":").Append(Value("DCGM_FI_DEV_MEM_CLOCK", v))
                .Append(",\"memory_temperature_c\":").Append(Value("DCGM_FI_DEV_MEMORY_TEMP", v))
                .Append(",\"memory_used_mib\":").Append(Value("DCGM_FI_DEV_FB_USED", v))
                .Append(",\"memory_free_mib\":").Append(Value("DCGM_FI_DEV_FB_FREE", v))
                .Append(",\"xid\":0,\"tensor_active\":0.5}}");
        }
        sb.Append("]}");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>OTLP protobuf: one resource per host (host.name), hw.* gauges with hw.type/hw.id per GPU.</summary>
    public static byte[] OtlpProtobuf(IReadOnlyList<DeviceDescriptor> gpus, int round, out int samples)
    {
        var request = new ExportMetricsServiceRequest();
        samples = 0;
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000UL;
        foreach (var host in gpus.GroupBy(g => (g.Site, g.Host)))
        {
            var scope = new ScopeMetrics();
            foreach (var (name, field) in new[] { ("hw.temperature", "DCGM_FI_DEV_GPU_TEMP"), ("hw.power", "DCGM_FI_DEV_POWER_USAGE") })
            {
                var gauge = new Gauge();
                foreach (var g in host)
                {
                    var point = new NumberDataPoint { TimeUnixNano = now, AsDouble = Value(field, g.Ordinal + round) };
                    point.Attributes.Add(new KeyValue { Key = "hw.type", Value = new AnyValue { StringValue = "gpu" } });
                    point.Attributes.Add(new KeyValue { Key = "hw.id", Value = new AnyValue { StringValue = "gpu" + g.Index.ToString(CultureInfo.InvariantCulture) } });
                    gauge.DataPoints.Add(point);
                    samples++;
                }
                scope.Metrics.Add(new Metric { Name = name, Gauge = gauge });
            }
            var resource = new Resource();
            resource.Attributes.Add(new KeyValue { Key = "host.name", Value = new AnyValue { StringValue = FactoryTopology.HostName(host.Key.Site, host.Key.Host!) } });
            var rm = new ResourceMetrics { Resource = resource };
            rm.ScopeMetrics.Add(scope);
            request.ResourceMetrics.Add(rm);
        }
        return request.ToByteArray();
    }

    /// <summary>
    /// The same readings as Prometheus remote-writes them after scraping dcgm-exporter: a snappy-compressed
    /// WriteRequest, one series per GPU and field with dcgm-exporter's labels plus <c>instance</c> and <c>job</c>
    /// (sorted by name, as Prometheus sends them) and one sample stamped <paramref name="timestampMs"/>.
    /// </summary>
    public static byte[] RemoteWrite(IReadOnlyList<DeviceDescriptor> gpus, int round, long timestampMs, out int samples)
    {
        using var body = new MemoryStream(gpus.Count * DcgmFields.Length * 260);
        using var series = new MemoryStream(512);
        samples = 0;
        Span<byte> sample = stackalloc byte[20];
        foreach (var field in DcgmFields)
        {
            foreach (var g in gpus)
            {
                var host = FactoryTopology.HostName(g.Site, g.Host!);
                series.SetLength(0);
                Label(series, "Hostname", host);
                Label(series, "UUID", "GPU-" + g.Ordinal.ToString("x8", CultureInfo.InvariantCulture) + "-0000-4000-8000-000000000000");
                Label(series, "__name__", field);
                Label(series, "device", "nvidia" + g.Index.ToString(CultureInfo.InvariantCulture));
                Label(series, "gpu", g.Index.ToString(CultureInfo.InvariantCulture));
                Label(series, "instance", host + ":9400");
                Label(series, "job", "dcgm");
                Label(series, "modelName", "NVIDIA H100 80GB HBM3");
                Label(series, "pci_bus_id", "00000000:" + (0x18 + g.Index).ToString("X2", CultureInfo.InvariantCulture) + ":00.0");
                // Sample { double value = 1; int64 timestamp = 2; }
                sample[0] = 0x09;
                BitConverter.TryWriteBytes(sample[1..9], Value(field, g.Ordinal + round));
                sample[9] = 0x10;
                var n = 10 + Varint(sample[10..], (ulong)timestampMs);
                Field(series, 2, sample[..n]);
                Field(body, 1, series.GetBuffer().AsSpan(0, (int)series.Length));
                samples++;
            }
        }
        return Snappier.Snappy.CompressToArray(body.GetBuffer().AsSpan(0, (int)body.Length));
    }

    private static void Label(MemoryStream series, string name, string value)
    {
        Span<byte> label = stackalloc byte[256];
        var n = 0;
        foreach (var (tag, text) in new[] { (0x0A, name), (0x12, value) })
        {
            label[n++] = (byte)tag;
            var length = Encoding.UTF8.GetBytes(text, label[(n + 1)..]);
            label[n++] = (byte)length; // names and values here are all shorter than 128 bytes
            n += length;
        }
        Field(series, 1, label[..n]);
    }

    private static void Field(MemoryStream stream, int field, ReadOnlySpan<byte> message)
    {
        Span<byte> header = stackalloc byte[11];
        header[0] = (byte)(field << 3 | 2);
        var n = 1 + Varint(header[1..], (ulong)message.Length);
        stream.Write(header[..n]);
        stream.Write(message);
    }

    private static int Varint(Span<byte> destination, ulong value)
    {
        var n = 0;
        for (; value >= 0x80; value >>= 7)
        {
            destination[n++] = (byte)(value | 0x80);
        }
        destination[n++] = (byte)value;
        return n;
    }

    // plausible and varying, never a health change: the benchmark measures mirroring, not alarms
    private static double Value(string field, int seed) => field switch
    {
        "DCGM_FI_DEV_GPU_TEMP" => 55 + seed % 20,
        "DCGM_FI_DEV_POWER_USAGE" => 400 + seed % 250,
        "DCGM_FI_DEV_GPU_UTIL" => 80 + seed % 20,
        "DCGM_FI_DEV_SM_CLOCK" => 1755 + seed % 200,
        "DCGM_FI_DEV_MEM_CLOCK" => 2619,
        "DCGM_FI_DEV_MEMORY_TEMP" => 60 + seed % 15,
        "DCGM_FI_DEV_FB_USED" => 60_000 + seed % 10_000,
        "DCGM_FI_DEV_FB_FREE" => 10_000 + seed % 10_000,
        "DCGM_FI_DEV_XID_ERRORS" => 0,
        _ => 0.5,
    };
}
