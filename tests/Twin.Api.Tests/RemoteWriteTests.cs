using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Twin.Api.Tests.Observability;
using Twin.Silo.Hosting;

namespace Twin.Api.Tests;

/// <summary>
/// Prometheus remote write, end to end: a real Prometheus scrapes a stand-in dcgm-exporter and remote-writes to a real
/// twin; the GPU follows what the exporter says. Bad bodies get 400/413 problems, never 500.
/// </summary>
[Collection(TwinAppCollection.Name)]
public sealed class RemoteWriteTests(TwinAppFixture twin)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RealPrometheus_ScrapesDcgmExporter_AndRemoteWrites_TheGpuFollows()
    {
        var readings = new Readings { Temperature = 91, Xid = 0 };
        var exporterBuilder = WebApplication.CreateSlimBuilder();
        exporterBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        exporterBuilder.Logging.ClearProviders();
        await using var exporter = exporterBuilder.Build();
        exporter.MapGet("/metrics", () => Results.Text(string.Create(CultureInfo.InvariantCulture, $$"""
            # HELP DCGM_FI_DEV_GPU_TEMP GPU temperature (in C).
            # TYPE DCGM_FI_DEV_GPU_TEMP gauge
            DCGM_FI_DEV_GPU_TEMP{gpu="2",UUID="GPU-rw2",Hostname="north-h0043",modelName="NVIDIA GB200"} {{readings.Temperature}}
            DCGM_FI_DEV_GPU_TEMP{gpu="3",UUID="GPU-rw3",Hostname="north-h0043",modelName="NVIDIA GB200"} 55
            # HELP DCGM_FI_DEV_XID_ERRORS Value of the last XID error encountered.
            # TYPE DCGM_FI_DEV_XID_ERRORS gauge
            DCGM_FI_DEV_XID_ERRORS{gpu="2",UUID="GPU-rw2",Hostname="north-h0043",modelName="NVIDIA GB200"} {{readings.Xid}}

            """), "text/plain; version=0.0.4"));
        await exporter.StartAsync(Ct);
        var exporterAddress = exporter.BoundAddress();

        await using var prometheus = await PrometheusServer.Start($"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: dcgm
                static_configs:
                  - targets: ["{exporterAddress.Authority}"]
            remote_write:
              - url: {twin.BaseAddress}api/v1/write
                queue_config:
                  batch_send_deadline: 1s
                  min_backoff: 100ms
                  max_backoff: 1s
            """, Ct);

        var gpu = await Poll("/api/v1/devices/north%2Fgpu%2Fh0043-2", g => (double?)g["metrics"]?["temperature_c"] == 91, prometheus);
        Assert.Equal("degraded", (string?)gpu["health"]); // ≥ 87 °C
        var neighbour = await Poll("/api/v1/devices/north%2Fgpu%2Fh0043-3", g => (double?)g["metrics"]?["temperature_c"] == 55, prometheus);
        Assert.Equal("healthy", (string?)neighbour["health"]);

        // the exporter reports XID 79 (GPU fallen off the bus): the next scrape, relayed by Prometheus, fails the GPU
        readings.Xid = 79;
        gpu = await Poll("/api/v1/devices/north%2Fgpu%2Fh0043-2", g => (double?)g["metrics"]?["xid"] == 79, prometheus);
        Assert.Equal("failed", (string?)gpu["health"]);
    }

    [Fact]
    public async Task BodyThatIsNotSnappy_Is400()
    {
        using var content = new ByteArrayContent("DCGM_FI_DEV_GPU_TEMP{gpu=\"0\",Hostname=\"north-h0001\"} 70\n"u8.ToArray());
        content.Headers.ContentType = new("application/x-protobuf");
        content.Headers.ContentEncoding.Add("snappy");

        using var response = await twin.Http.PostAsync("/api/v1/write", content, Ct);

        var problem = await response.Problem(400);
        Assert.Contains("snappy", (string?)problem["detail"]);
    }

    [Fact]
    public async Task TruncatedProtobuf_Is400_WithThePosition()
    {
        // a WriteRequest whose first timeseries claims 200 bytes but carries 3, snappy-compressed as a literal block
        byte[] raw = [0x0A, 0xC8, 0x01, 0x0A, 0x01, 0x00];
        using var content = new ByteArrayContent(Snappier.Snappy.CompressToArray(raw));
        content.Headers.ContentType = new("application/x-protobuf");

        using var response = await twin.Http.PostAsync("/api/v1/write", content, Ct);

        var problem = await response.Problem(400);
        Assert.Contains("past the end", (string?)problem["detail"]);
        Assert.Equal(1, (int?)problem["position"]); // the length that runs past the end
    }

    [Fact]
    public async Task BodyThatDecompressesPastTheLimit_Is413()
    {
        // a snappy block whose header announces 300 MiB (the limit is 256 MiB): refused before decompressing
        var header = new List<byte>();
        for (var n = 300u * 1024 * 1024; ; n >>= 7)
        {
            if (n < 0x80)
            {
                header.Add((byte)n);
                break;
            }
            header.Add((byte)(n | 0x80));
        }
        header.AddRange(new byte[16]);
        using var content = new ByteArrayContent(header.ToArray());
        content.Headers.ContentType = new("application/x-protobuf");

        using var response = await twin.Http.PostAsync("/api/v1/write", content, Ct);

        var problem = await response.Problem(413);
        Assert.Equal("body", (string?)problem["field"]);
    }

    [Fact]
    public async Task EveryoneUnknown_Is400_WithTheSeriesIndex()
    {
        // one series for a host the topology does not have: nothing applies, and a retry would not help
        byte[] label(string n, string v) => [0x0A, (byte)(4 + n.Length + v.Length), 0x0A, (byte)n.Length, .. System.Text.Encoding.ASCII.GetBytes(n), 0x12, (byte)v.Length, .. System.Text.Encoding.ASCII.GetBytes(v)];
        byte[] sample = [0x12, 0x0B, 0x09, .. BitConverter.GetBytes(70.0), 0x10, 0x00];
        byte[] series = [.. label("__name__", "DCGM_FI_DEV_GPU_TEMP"), .. label("Hostname", "nowhere-h0001"), .. label("gpu", "0"), .. sample];
        byte[] request = [0x0A, (byte)series.Length, .. series];
        using var content = new ByteArrayContent(Snappier.Snappy.CompressToArray(request));
        content.Headers.ContentType = new("application/x-protobuf");

        using var response = await twin.Http.PostAsync("/api/v1/write", content, Ct);

        var problem = await response.Problem(400);
        Assert.Equal(1, (int?)problem["rejected"]);
        Assert.Equal(0, (int?)problem["errors"]![0]!["index"]);
    }

    private async Task<JsonNode> Poll(string url, Func<JsonNode, bool> done, PrometheusServer prometheus)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var body = await twin.Http.GetJson(url);
            if (done(body))
            {
                return body;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{url} never satisfied the condition: {body.ToJsonString()}\nprometheus log:\n{prometheus.Log}");
            await Task.Delay(100, Ct);
        }
    }

    private sealed class Readings
    {
        public volatile int Temperature;
        public volatile int Xid;
    }
}
