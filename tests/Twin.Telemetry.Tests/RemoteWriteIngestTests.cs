using Twin.Model.Telemetry;
using Twin.Telemetry.RemoteWrite;

namespace Twin.Telemetry.Tests;

public sealed class RemoteWriteIngestTests
{
    private static readonly RemoteWriteIngest Ingest = new(TestTopology.Mapper());

    private static readonly long NowMs = TestTopology.Now.ToUnixTimeMilliseconds();

    private static TelemetryBatch Run(params WriteRequests.Series[] series) =>
        Ingest.Ingest(WriteRequests.Snappy(WriteRequests.Encode(series)), TestTopology.Now);

    [Fact]
    public void DcgmSeries_MapLikeTheTextEndpoint_WithTheirOwnTimestamps()
    {
        var batch = Run(
            WriteRequests.Gpu("DCGM_FI_DEV_GPU_TEMP", "east-h0002", 3, 91, NowMs - 15_000),
            WriteRequests.Gpu("DCGM_FI_DEV_GPU_UTIL", "east-h0002", 3, 85, NowMs - 15_000),
            WriteRequests.Gpu("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "east-h0002", 3, 123456789, NowMs - 15_000),
            WriteRequests.Gpu("up", "east-h0002", 3, 1, NowMs - 15_000));

        var gpu = Assert.Single(batch.Devices);
        Assert.Equal("east/gpu/h0002-3", gpu.DeviceId);
        Assert.Equal(TestTopology.Now.AddSeconds(-15), gpu.Time);
        Assert.Equal(91, gpu.Values.Single(v => v.Metric == Metric.TemperatureC).Value);
        Assert.Equal(0.85, gpu.Values.Single(v => v.Metric == Metric.Utilization).Value, 12); // % → ratio
        Assert.Equal(123456.789, gpu.Values.Single(v => v.Metric == Metric.EnergyJ).Value, 6); // mJ → J
        Assert.Equal(3, batch.Report.Accepted);
        Assert.Equal(1, batch.Report.Skipped); // `up` is not the twin's
        Assert.Equal(0, batch.Report.Rejected);
    }

    [Fact]
    public void BadSeries_AreRejectedWithTheirIndex_AndTheRestApplied()
    {
        var noName = new WriteRequests.Series([("Hostname", "east-h0001"), ("gpu", "0")], [(50, NowMs)]);
        var batch = Run(
            WriteRequests.Gpu("DCGM_FI_DEV_GPU_TEMP", "east-h0001", 1, 60, NowMs),
            noName,
            WriteRequests.Gpu("DCGM_FI_DEV_GPU_TEMP", "nowhere-h0001", 0, 60, NowMs),
            WriteRequests.Gpu("DCGM_FI_DEV_GPU_TEMP", "east-h0001", 2, double.PositiveInfinity, NowMs),
            WriteRequests.Gpu("DCGM_FI_DEV_GPU_TEMP", "east-h0001", 3, 61, NowMs));

        Assert.Equal(2, batch.Report.Accepted);
        Assert.Equal(3, batch.Report.Rejected);
        Assert.Equal(1, batch.Report.UnknownDevices);
        Assert.Equal([1, 2, 3], batch.Report.Errors.Select(e => e.Index!.Value));
        Assert.All(batch.Report.Errors, e => Assert.Null(e.Line));
        Assert.Contains("__name__", batch.Report.Errors[0].Reason);
        Assert.Equal(["east/gpu/h0001-1", "east/gpu/h0001-3"], batch.Devices.Select(d => d.DeviceId));
    }

    [Fact]
    public void StalenessMarkers_AreSkipped_NotRejected()
    {
        var stale = BitConverter.UInt64BitsToDouble(RemoteWriteIngest.StaleNaNBits);
        var batch = Run(WriteRequests.Gpu("DCGM_FI_DEV_GPU_TEMP", "east-h0001", 0, stale, NowMs));

        Assert.Empty(batch.Devices);
        Assert.Equal(1, batch.Report.Skipped);
        Assert.Equal(0, batch.Report.Rejected);
    }

    [Fact]
    public void SeriesMalformedInsideAnIntactEnvelope_IsRejected_OthersApplied()
    {
        // a sample whose value arrives as a varint (wire type 0) instead of a double (1)
        var bad = WriteRequests.Message(o =>
        {
            o.WriteTag(1, Google.Protobuf.WireFormat.WireType.LengthDelimited);
            o.WriteBytes(Google.Protobuf.ByteString.CopyFrom(WriteRequests.Message(l =>
            {
                l.WriteTag(1, Google.Protobuf.WireFormat.WireType.LengthDelimited);
                l.WriteString("__name__");
                l.WriteTag(2, Google.Protobuf.WireFormat.WireType.LengthDelimited);
                l.WriteString("DCGM_FI_DEV_GPU_TEMP");
            })));
            o.WriteTag(2, Google.Protobuf.WireFormat.WireType.LengthDelimited);
            o.WriteBytes(Google.Protobuf.ByteString.CopyFrom(WriteRequests.Message(p =>
            {
                p.WriteTag(1, Google.Protobuf.WireFormat.WireType.Varint);
                p.WriteInt64(7);
            })));
        });
        var good = WriteRequests.SeriesBytes(WriteRequests.Gpu("DCGM_FI_DEV_GPU_TEMP", "east-h0001", 0, 70, NowMs));
        var body = WriteRequests.Message(o =>
        {
            o.WriteTag(1, Google.Protobuf.WireFormat.WireType.LengthDelimited);
            o.WriteBytes(Google.Protobuf.ByteString.CopyFrom(bad));
            o.WriteTag(1, Google.Protobuf.WireFormat.WireType.LengthDelimited);
            o.WriteBytes(Google.Protobuf.ByteString.CopyFrom(good));
        });

        var batch = Ingest.Read(body, TestTopology.Now);

        Assert.Equal(1, batch.Report.Accepted);
        Assert.Equal(1, batch.Report.Rejected);
        Assert.Equal(0, batch.Report.Errors[0].Index);
        Assert.Contains("wire type", batch.Report.Errors[0].Reason);
    }

    [Fact]
    public void TruncatedProtobuf_IsAFormatError_NamingTheByte()
    {
        var raw = WriteRequests.Encode(WriteRequests.Gpu("DCGM_FI_DEV_GPU_TEMP", "east-h0001", 0, 70, NowMs));
        var cut = raw.AsSpan(0, raw.Length - 30).ToArray();

        var e = Assert.Throws<TelemetryFormatException>(() => Ingest.Ingest(WriteRequests.Snappy(cut), TestTopology.Now));

        Assert.Contains("past the end", e.Message);
        Assert.False(e.TooLarge);
        Assert.NotNull(e.Position);
    }

    [Fact]
    public void BodyThatIsNotSnappy_IsAFormatError()
    {
        var text = "DCGM_FI_DEV_GPU_TEMP{gpu=\"0\",Hostname=\"east-h0001\"} 70\n"u8.ToArray();

        var e = Assert.Throws<TelemetryFormatException>(() => Ingest.Ingest(text, TestTopology.Now));

        Assert.Contains("snappy", e.Message);
    }

    [Fact]
    public void BodyLargerThanTheLimitOnceDecompressed_IsTooLarge_BeforeDecompressing()
    {
        var small = new RemoteWriteIngest(TestTopology.Mapper(new Mapping.TelemetryMappingOptions { MaxDecompressedBytes = 1000 }));
        var raw = WriteRequests.Encode(Enumerable.Range(0, 50).Select(i => WriteRequests.Gpu("DCGM_FI_DEV_GPU_TEMP", "east-h0001", i % 8, 70, NowMs)).ToArray());
        Assert.True(raw.Length > 1000);

        var e = Assert.Throws<TelemetryFormatException>(() => small.Ingest(WriteRequests.Snappy(raw), TestTopology.Now));

        Assert.True(e.TooLarge);
    }
}
