using System.IO.Compression;
using System.Text;
using Twin.Contracts.Telemetry;
using Twin.Model.Telemetry;
using Twin.Telemetry.Prometheus;

namespace Twin.Telemetry.Tests;

public sealed class PrometheusIngestTests
{
    private static readonly PrometheusIngest Ingest = new(TestTopology.Mapper());

    private static TelemetryBatch Run(string text) => Ingest.Ingest(Encoding.UTF8.GetBytes(text), TestTopology.Now);

    private static double Value(TelemetryBatch batch, string device, Metric metric) =>
        batch.Devices.Single(d => d.DeviceId == device).Values.Single(v => v.Metric == metric).Value;

    [Fact]
    public void DcgmExporterScrape_BecomesOneTelemetryPerGpu_InCanonicalUnits()
    {
        var batch = Run(DcgmSample.Text(hosts: 4, gpus: 8));

        Assert.Equal(4 * 8, batch.Devices.Length);
        Assert.Equal(4 * 8 * DcgmSample.Families, batch.Report.Accepted);
        Assert.Equal(0, batch.Report.Rejected);
        Assert.All(batch.Devices, d => Assert.Equal(DcgmSample.Families, d.Values.Length));
        Assert.All(batch.Devices, d => Assert.Equal(TestTopology.Now, d.Time)); // no timestamps → server time
        const string gpu = "east/gpu/h0002-3";
        Assert.Equal(64, Value(batch, gpu, Metric.TemperatureC));            // 61 + gpu index
        Assert.Equal(0.85, Value(batch, gpu, Metric.Utilization), 12);       // 85 % → ratio
        Assert.Equal(123456.789, Value(batch, gpu, Metric.EnergyJ), 6);      // mJ → J
        Assert.Equal(350.123, Value(batch, gpu, Metric.PowerW));
        Assert.Equal(40960, Value(batch, gpu, Metric.MemoryUsedMiB));
        Assert.Equal(1980, Value(batch, gpu, Metric.SmClockMhz));
        Assert.Equal(0, Value(batch, gpu, Metric.Xid));
    }

    [Fact]
    public void GzipBody_IsDetectedAndDecompressed()
    {
        var text = Encoding.UTF8.GetBytes(DcgmSample.Text(hosts: 1, gpus: 2));
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(text);
        }

        var batch = Ingest.Ingest(compressed.ToArray().AsMemory(), TestTopology.Now);

        Assert.Equal(2, batch.Devices.Length);
        Assert.Equal(2 * DcgmSample.Families, batch.Report.Accepted);
    }

    [Fact]
    public void NanAndInfinity_AreRejectedWithTheirLineNumbers()
    {
        var batch = Run("""
            DCGM_FI_DEV_GPU_TEMP{gpu="0",Hostname="east-h0000"} 60
            DCGM_FI_DEV_GPU_TEMP{gpu="1",Hostname="east-h0000"} NaN
            DCGM_FI_DEV_POWER_USAGE{gpu="0",Hostname="east-h0000"} +Inf
            """);

        Assert.Equal(1, batch.Report.Accepted);
        Assert.Equal(2, batch.Report.Rejected);
        Assert.Equal([2, 3], batch.Report.Errors.Select(e => e.Line));
        Assert.All(batch.Report.Errors, e => Assert.Contains("not a finite number", e.Reason));
        Assert.Equal("DCGM_FI_DEV_GPU_TEMP", batch.Report.Errors[0].Field);
    }

    [Fact]
    public void MalformedLine_IsReportedWithItsLine_AndTheRestIsApplied()
    {
        var batch = Run("""
            # TYPE DCGM_FI_DEV_GPU_TEMP gauge
            DCGM_FI_DEV_GPU_TEMP{gpu="0",Hostname="east-h0000"} 60
            DCGM_FI_DEV_GPU_TEMP{gpu="1",Hostname="east-h0000" 61
            DCGM_FI_DEV_GPU_TEMP{gpu="2",Hostname="east-h0000"} 62
            """);

        Assert.Equal(2, batch.Report.Accepted);
        var error = Assert.Single(batch.Report.Errors);
        Assert.Equal(3, error.Line);
        Assert.Equal(["east/gpu/h0000-0", "east/gpu/h0000-2"], batch.Devices.Select(d => d.DeviceId));
    }

    [Fact]
    public void UnknownNamesHistogramsAndSummaries_AreSkipped_NotErrors()
    {
        var batch = Run("""
            # TYPE DCGM_FI_DEV_MEM_COPY_UTIL gauge
            DCGM_FI_DEV_MEM_COPY_UTIL{gpu="0",Hostname="east-h0000"} 12
            # TYPE go_gc_duration_seconds summary
            go_gc_duration_seconds{quantile="0.5"} 0.001
            go_gc_duration_seconds_sum 0.3
            go_gc_duration_seconds_count 42
            # TYPE http_seconds histogram
            http_seconds_bucket{le="+Inf"} 3
            http_seconds_sum 1
            http_seconds_count 3
            DCGM_FI_DEV_GPU_TEMP{gpu="0",Hostname="east-h0000"} 60
            """);

        Assert.Equal(1, batch.Report.Accepted);
        Assert.Equal(7, batch.Report.Skipped);
        Assert.Equal(0, batch.Report.Rejected);
        Assert.Empty(batch.Report.Errors);
    }

    [Fact]
    public void UnknownDevices_AreCountedAndReported()
    {
        var batch = Run("""
            DCGM_FI_DEV_GPU_TEMP{gpu="0",Hostname="east-h9999"} 60
            DCGM_FI_DEV_GPU_TEMP{gpu="12",Hostname="east-h0000"} 60
            DCGM_FI_DEV_GPU_TEMP{gpu="1"} 60
            DCGM_FI_DEV_GPU_TEMP{gpu="1",Hostname="east-h0000"} 60
            """);

        Assert.Equal(1, batch.Report.Accepted);
        Assert.Equal(3, batch.Report.Rejected);
        Assert.Equal(3, batch.Report.UnknownDevices);
        Assert.Contains("east-h9999", batch.Report.Errors[0].Reason);
        Assert.Equal([1, 2, 3], batch.Report.Errors.Select(e => e.Line));
    }

    [Fact]
    public void ExplicitDeviceLabel_WinsOverHostAndGpu()
    {
        var batch = Run("""
            temperature_c{device="east/switch/leaf-00"} 48
            DCGM_FI_DEV_GPU_TEMP{device="east/gpu/h0003-7",Hostname="east-h0000",gpu="0"} 70
            """);

        Assert.Equal(48, Value(batch, "east/switch/leaf-00", Metric.TemperatureC));
        Assert.Equal(70, Value(batch, "east/gpu/h0003-7", Metric.TemperatureC));
    }

    [Fact]
    public void NodeExporterInfiniband_MapsToTheGpuNicLink()
    {
        var batch = Run("""
            # TYPE node_infiniband_port_data_transmitted_bytes_total counter
            node_infiniband_port_data_transmitted_bytes_total{device="mlx5_3",instance="east-h0001:9100",job="node",port="1"} 9.8765432e+12
            node_infiniband_port_data_received_bytes_total{device="mlx5_3",instance="east-h0001:9100",job="node",port="1"} 1.2345e+12
            node_infiniband_symbol_error_total{device="mlx5_3",instance="east-h0001:9100",port="1"} 4
            node_infiniband_link_downed_total{device="mlx5_3",instance="east-h0001:9100",port="1"} 2
            node_infiniband_port_data_received_bytes_total{device="mlx5_9",instance="east-h0001:9100",port="1"} 1
            node_infiniband_physical_state_id{device="mlx5_3",instance="east-h0001:9100",port="1"} 5
            """);

        var link = Assert.Single(batch.Devices);
        Assert.Equal("east/link/h0001-3:leaf-00", link.DeviceId); // 32 GPUs fit one radix-128 switch: a single tier
        Assert.Equal(9.8765432e12, Value(batch, link.DeviceId, Metric.TxBytesTotal));
        Assert.Equal(1.2345e12, Value(batch, link.DeviceId, Metric.RxBytesTotal));
        Assert.Equal(4, Value(batch, link.DeviceId, Metric.SymbolErrorsTotal));
        Assert.Equal(2, Value(batch, link.DeviceId, Metric.FlapsTotal));
        Assert.Equal(1, batch.Report.UnknownDevices); // mlx5_9: no GPU 9 on an 8-GPU host
        Assert.Equal(1, batch.Report.Skipped);        // physical_state_id is not mapped
    }

    [Fact]
    public void MetricTheKindDoesNotHold_IsRejectedWithAReason()
    {
        var batch = Run("""sm_clock_mhz{device="east/switch/leaf-00"} 1000""");

        Assert.Equal(1, batch.Report.Rejected);
        Assert.Equal(0, batch.Report.UnknownDevices);
        Assert.Contains("does not hold metric sm_clock_mhz", Assert.Single(batch.Report.Errors).Reason);
    }

    [Fact]
    public void Timestamps_SetTheTime_AndTheLatestSampleWins()
    {
        var t0 = TestTopology.Now.AddSeconds(-30).ToUnixTimeMilliseconds();
        var t1 = TestTopology.Now.AddSeconds(-10).ToUnixTimeMilliseconds();
        var batch = Run($"""
            DCGM_FI_DEV_GPU_TEMP{"{"}gpu="0",Hostname="east-h0000"{"}"} 70 {t1}
            DCGM_FI_DEV_GPU_TEMP{"{"}gpu="0",Hostname="east-h0000"{"}"} 60 {t0}
            """);

        var d = Assert.Single(batch.Devices);
        Assert.Equal(70, d.Values.Single().Value);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(t1), d.Time);
        Assert.Equal(2, batch.Report.Accepted);
    }

    [Fact]
    public void FutureAndStaleTimestamps_AreRejected()
    {
        var future = TestTopology.Now.AddMinutes(6).ToUnixTimeMilliseconds();
        var stale = TestTopology.Now.AddHours(-2).ToUnixTimeMilliseconds();
        var batch = Run($"""
            DCGM_FI_DEV_GPU_TEMP{"{"}gpu="0",Hostname="east-h0000"{"}"} 70 {future}
            DCGM_FI_DEV_GPU_TEMP{"{"}gpu="1",Hostname="east-h0000"{"}"} 70 {stale}
            """);

        Assert.Equal(2, batch.Report.Rejected);
        Assert.Contains("ahead of the server clock", batch.Report.Errors[0].Reason);
        Assert.Contains("older than", batch.Report.Errors[1].Reason);
    }

    [Fact]
    public void GpuUtilAndEngineActive_TheFinerRatioWinsAtTheSameInstant()
    {
        var batch = Run("""
            DCGM_FI_PROF_GR_ENGINE_ACTIVE{gpu="0",Hostname="east-h0000"} 0.62
            DCGM_FI_DEV_GPU_UTIL{gpu="0",Hostname="east-h0000"} 100
            """);

        Assert.Equal(0.62, Value(batch, "east/gpu/h0000-0", Metric.Utilization));
    }

    [Fact]
    public void ErrorsBeyondTheCap_AreCountedButNotListed()
    {
        var text = new StringBuilder();
        for (var i = 0; i < IngestReport.MaxErrors + 20; i++)
        {
            text.Append("DCGM_FI_DEV_GPU_TEMP{gpu=\"0\",Hostname=\"nowhere\"} 1\n");
        }
        var batch = Run(text.ToString());

        Assert.Equal(IngestReport.MaxErrors + 20, batch.Report.UnknownDevices);
        Assert.Equal(IngestReport.MaxErrors, batch.Report.Errors.Count);
        Assert.Equal(20, batch.Report.ErrorsOmitted);
    }
}
