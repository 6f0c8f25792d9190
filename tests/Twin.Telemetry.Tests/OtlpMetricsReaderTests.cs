using System.Text;
using Google.Protobuf;
using Metric = Twin.Model.Telemetry.Metric;
using Twin.Telemetry.Otlp;
using Twin.Telemetry.Otlp.Wire;
using OtlpMetric = Twin.Telemetry.Otlp.Wire.Metric;

namespace Twin.Telemetry.Tests;

public sealed class OtlpMetricsReaderTests
{
    private static readonly OtlpMetricsReader Reader = new(TestTopology.Mapper());

    private static readonly ulong NowNanos = (ulong)TestTopology.Now.ToUnixTimeMilliseconds() * 1_000_000;

    private static KeyValue Attr(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static KeyValue Attr(string key, long value) => new() { Key = key, Value = new AnyValue { IntValue = value } };

    private static ExportMetricsServiceRequest Request()
    {
        var gauge = new Gauge();
        gauge.DataPoints.Add(new NumberDataPoint { AsDouble = 63.5, TimeUnixNano = NowNanos, Attributes = { Attr("hw.type", "gpu"), Attr("hw.id", "2") } });
        gauge.DataPoints.Add(new NumberDataPoint { AsInt = 58, TimeUnixNano = NowNanos, Attributes = { Attr("hw.id", "east/gpu/h0001-5") } });
        gauge.DataPoints.Add(new NumberDataPoint { AsDouble = 40, Attributes = { Attr("hw.type", "gpu"), Attr("hw.id", "42") } });

        var io = new Sum { IsMonotonic = true, AggregationTemporality = AggregationTemporality.Cumulative };
        io.DataPoints.Add(new NumberDataPoint { AsInt = 1_000_000, TimeUnixNano = NowNanos, Attributes = { Attr("hw.id", "mlx5_1"), Attr("network.io.direction", "transmit") } });
        io.DataPoints.Add(new NumberDataPoint { AsInt = 2_000_000, TimeUnixNano = NowNanos, Attributes = { Attr("hw.id", "mlx5_1"), Attr("network.io.direction", "receive") } });

        var status = new Sum();
        status.DataPoints.Add(new NumberDataPoint { AsInt = 1, Attributes = { Attr("hw.type", "gpu"), Attr("gpu", 0), Attr("hw.state", "ok") } });
        status.DataPoints.Add(new NumberDataPoint { AsInt = 0, Attributes = { Attr("hw.type", "gpu"), Attr("gpu", 0), Attr("hw.state", "failed") } });

        var histogram = new Histogram();
        histogram.DataPoints.Add(new HistogramDataPoint { Count = 3 });

        var scope = new ScopeMetrics
        {
            Metrics =
            {
                new OtlpMetric { Name = "hw.temperature", Unit = "Cel", Gauge = gauge },
                new OtlpMetric { Name = "hw.network.io", Unit = "By", Sum = io },
                new OtlpMetric { Name = "hw.status", Sum = status },
                new OtlpMetric { Name = "http.server.request.duration", Histogram = histogram },
                new OtlpMetric { Name = "process.cpu.time", Sum = new Sum { DataPoints = { new NumberDataPoint { AsDouble = 1 } } } },
            },
        };
        return new ExportMetricsServiceRequest
        {
            ResourceMetrics =
            {
                new ResourceMetrics { Resource = new Resource { Attributes = { Attr("host.name", "east-h0001") } }, ScopeMetrics = { scope } },
            },
        };
    }

    private static void AssertMapped(TelemetryBatch batch)
    {
        double V(string id, Metric m) => batch.Devices.Single(d => d.DeviceId == id).Values.Single(v => v.Metric == m).Value;
        Assert.Equal(63.5, V("east/gpu/h0001-2", Metric.TemperatureC));
        Assert.Equal(58, V("east/gpu/h0001-5", Metric.TemperatureC));
        Assert.Equal(1_000_000, V("east/link/h0001-1:leaf-00", Metric.TxBytesTotal));
        Assert.Equal(2_000_000, V("east/link/h0001-1:leaf-00", Metric.RxBytesTotal));
        Assert.Equal(1, V("east/gpu/h0001-0", Metric.Online));
        Assert.Equal(5, batch.Report.Accepted);
        Assert.Equal(1, batch.Report.UnknownDevices);                 // hw.id 42 on an 8-GPU host
        Assert.Equal(1 + 1 + 1, batch.Report.Skipped);                // histogram point, unmapped name, non-ok hw.status point
        Assert.Equal(2, batch.Report.Errors.Single().Index);          // third data point of the request
        Assert.Equal("hw.temperature", batch.Report.Errors.Single().Field);
    }

    [Fact]
    public void Protobuf_RoundTrip_MapsGaugesSumsAndAttributes()
    {
        var body = Request().ToByteArray();

        AssertMapped(Reader.ReadProtobuf(body, TestTopology.Now));
    }

    [Fact]
    public void Protobuf_FieldsInAnyWireOrder_AndUnknownFields_MapTheSame()
    {
        // protobuf allows fields in any order: here the resource follows its scope metrics, the metric's name follows
        // its gauge, the point's attributes follow its value, and fields this reader does not know are interleaved
        byte[] Msg(Action<CodedOutputStream> write) => WriteRequests.Message(write);
        var point = Msg(o =>
        {
            o.WriteTag(4, WireFormat.WireType.Fixed64); o.WriteDouble(71.5);
            o.WriteTag(99, WireFormat.WireType.Varint); o.WriteInt64(5); // unknown
            o.WriteTag(3, WireFormat.WireType.Fixed64); o.WriteFixed64(NowNanos);
            o.WriteTag(7, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFrom(Attr("hw.type", "gpu").ToByteArray()));
            o.WriteTag(7, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFrom(Attr("gpu", 3).ToByteArray())); // an integer value
        });
        var metric = Msg(o =>
        {
            o.WriteTag(5, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFrom(Msg(g =>
            {
                g.WriteTag(1, WireFormat.WireType.LengthDelimited); g.WriteBytes(ByteString.CopyFrom(point));
            })));
            o.WriteTag(3, WireFormat.WireType.LengthDelimited); o.WriteString("Cel");
            o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteString("hw.temperature");
        });
        var rm = Msg(o =>
        {
            o.WriteTag(2, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFrom(Msg(sm =>
            {
                sm.WriteTag(2, WireFormat.WireType.LengthDelimited); sm.WriteBytes(ByteString.CopyFrom(metric));
            })));
            o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFrom(new Resource { Attributes = { Attr("host.name", "east-h0002") } }.ToByteArray()));
        });
        var body = Msg(o => { o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFrom(rm)); });

        var spans = Reader.ReadProtobuf(body, TestTopology.Now);
        var graph = Reader.Read(ExportMetricsServiceRequest.Parser.ParseFrom(body), TestTopology.Now);

        foreach (var batch in new[] { spans, graph })
        {
            var gpu = Assert.Single(batch.Devices);
            Assert.Equal("east/gpu/h0002-3", gpu.DeviceId);
            Assert.Equal(71.5, gpu.Values.Single(v => v.Metric == Metric.TemperatureC).Value);
            Assert.Equal(TestTopology.Now, gpu.Time);
        }
    }

    [Fact]
    public void Protobuf_LengthPastTheEnd_IsAFormatErrorWithItsPosition()
    {
        var body = Request().ToByteArray();

        var e = Assert.Throws<TelemetryFormatException>(() => Reader.ReadProtobuf(body.AsSpan(0, body.Length - 7).ToArray(), TestTopology.Now));

        Assert.Contains("ExportMetricsServiceRequest", e.Message);
        Assert.NotNull(e.Position);
    }

    [Fact]
    public void OtlpJson_WithCamelCaseStringInt64sAndUnknownFields_MapsTheSame()
    {
        // the OTLP/JSON encoding a collector sends: camelCase, 64-bit integers as strings, enums as numbers,
        // exemplars and other fields this schema leaves out
        var json = JsonFormatter.Default.Format(Request())
            .Replace("\"timeUnixNano\": ", "\"startTimeUnixNano\": \"1\", \"exemplars\": [{\"traceId\": \"5b8efff798038103d269b633813fc60c\"}], \"timeUnixNano\": ")
            .Replace("\"AGGREGATION_TEMPORALITY_CUMULATIVE\"", "2");
        Assert.Contains("\"asInt\": \"1000000\"", json);
        Assert.Contains("exemplars", json);

        AssertMapped(Reader.ReadJson(Encoding.UTF8.GetBytes(json), TestTopology.Now));
    }

    [Fact]
    public void Response_CarriesPartialSuccess_OnlyWhenSomethingWasRejected()
    {
        var batch = Reader.ReadProtobuf(Request().ToByteArray(), TestTopology.Now);

        var response = OtlpMetricsReader.CreateResponse(batch.Report);

        Assert.Equal(1, response.PartialSuccess.RejectedDataPoints);
        Assert.Contains("hw.temperature", response.PartialSuccess.ErrorMessage);
        Assert.Null(OtlpMetricsReader.CreateResponse(new Contracts.Telemetry.IngestReport()).PartialSuccess);
    }

    [Fact]
    public void GarbageBodies_AreFormatErrors()
    {
        Assert.Throws<TelemetryFormatException>(() => Reader.ReadJson("{not json"u8.ToArray(), TestTopology.Now));
        Assert.Throws<TelemetryFormatException>(() => Reader.ReadProtobuf(new byte[] { 0x0a, 0xff, 0xff, 0xff }, TestTopology.Now));
    }
}
