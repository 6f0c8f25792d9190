using System.Diagnostics.Metrics;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Twin.Api.Tests;

[Collection(TwinAppCollection.Name)]
public sealed class TelemetryApiTests(TwinAppFixture app)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonNode> Device(string id) => await app.Http.GetJson("/api/v1/devices/" + Uri.EscapeDataString(id));

    private async Task<HttpResponseMessage> Post(string url, string body, string contentType)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        return await app.Http.PostAsync(url, content, Ct);
    }

    [Fact]
    public async Task DcgmExporterText_UpdatesTheGpu_AndBadLinesAreCountedWithTheirLineNumbers()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var body = $$"""
            # HELP DCGM_FI_DEV_GPU_TEMP GPU temperature (in C).
            # TYPE DCGM_FI_DEV_GPU_TEMP gauge
            DCGM_FI_DEV_GPU_TEMP{gpu="2",UUID="GPU-1b2c",pci_bus_id="00000000:19:00.0",device="nvidia2",modelName="NVIDIA H100 80GB HBM3",Hostname="east-h0030"} 63
            # TYPE DCGM_FI_DEV_POWER_USAGE gauge
            DCGM_FI_DEV_POWER_USAGE{gpu="2",UUID="GPU-1b2c",Hostname="east-h0030"} 598.25 {{now}}
            DCGM_FI_DEV_GPU_UTIL{gpu="2",Hostname="east-h0030"} 97
            DCGM_FI_DEV_GPU_TEMP{gpu="2",Hostname="mars-h0001"} 50
            DCGM_FI_DEV_GPU_TEMP{gpu="2",Hostname="east-h0030"} NaN
            this is not a sample
            """;
        using var response = await Post("/api/v1/telemetry/prometheus", body, "text/plain; version=0.0.4");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Body();
        Assert.Equal(3, (int)report["accepted"]!);
        Assert.Equal(3, (int)report["rejected"]!);
        Assert.Equal(1, (int)report["unknownDevices"]!);
        var lines = report["errors"]!.AsArray().Select(e => (int?)e!["line"]).ToList();
        Assert.Equal([7, 8, 9], lines);

        var gpu = await Device("east/gpu/h0030-2");
        Assert.Equal(63, (double)gpu["metrics"]!["temperature_c"]!);
        Assert.Equal(598.25, (double)gpu["metrics"]!["power_w"]!);
        Assert.Equal(0.97, (double)gpu["metrics"]!["utilization"]!, 6);
    }

    [Fact]
    public async Task GzipPrometheusBody_IsAccepted()
    {
        var text = "DCGM_FI_DEV_GPU_TEMP{gpu=\"4\",Hostname=\"west-h0003\"} 71\n"u8.ToArray();
        using var buffer = new MemoryStream();
        await using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(text, Ct);
        }
        using var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new("text/plain");
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await app.Http.PostAsync("/api/v1/telemetry/prometheus", content, Ct);
        Assert.Equal(1, (int)(await response.Body())["accepted"]!);
        Assert.Equal(71, (double)(await Device("west/gpu/h0003-4"))["metrics"]!["temperature_c"]!);
    }

    [Fact]
    public async Task JsonBatch_AppliesTheGoodItems_AndNamesTheBadOnes()
    {
        var body = """
            {"samples":[
              {"device":"north/gpu/h0002-1","time":"2026-11-24T10:00:00Z","metrics":{"temperature_c":58,"power_w":700}},
              {"device":"north/gpu/nope","metrics":{"temperature_c":1}},
              {"device":"north/gpu/h0002-2","metrics":{"temp":3}}
            ]}
            """;
        // the time above is older than the default 1 h max age on most days: send it as now
        body = body.Replace("2026-11-24T10:00:00Z", DateTimeOffset.UtcNow.ToString("O"));
        using var response = await Post("/api/v1/telemetry", body, "application/json");
        var report = await response.Body();
        Assert.Equal(2, (int)report["accepted"]!);
        Assert.Equal(2, (int)report["rejected"]!);
        Assert.Equal(1, (int)report["unknownDevices"]!);
        var fields = report["errors"]!.AsArray().Select(e => (string?)e!["field"]).ToList();
        Assert.Contains("samples[1].device", fields);
        Assert.Contains("samples[2].metrics.temp", fields);
        Assert.Equal(700, (double)(await Device("north/gpu/h0002-1"))["metrics"]!["power_w"]!);
    }

    [Fact]
    public async Task UnparseableJson_Is400_WithItsPosition()
    {
        using var response = await Post("/api/v1/telemetry", """{"samples":[{"device":""", "application/json");
        var problem = await response.Problem(400);
        Assert.NotNull(problem["line"]);
    }

    [Fact]
    public async Task BatchWithNothingUsable_Is400_CarryingTheCounts()
    {
        using var response = await Post("/api/v1/telemetry", """{"samples":[{"device":"east/gpu/h0000-0","metrics":{"temperature_c":"hot"}}]}""", "application/json");
        var problem = await response.Problem(400);
        Assert.Equal(0, (int)problem["accepted"]!);
        Assert.Equal(1, (int)problem["rejected"]!);
    }

    [Fact]
    public async Task OversizeBody_Is413Problem()
    {
        // a well-behaved client asks first (Expect: 100-continue) and is refused before sending 65 MB
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/telemetry/prometheus")
        {
            Content = new ByteArrayContent(new byte[65 * 1024 * 1024]),
        };
        request.Headers.ExpectContinue = true;
        using var response = await app.Http.SendAsync(request, Ct);
        var problem = await response.Problem(413);
        Assert.Equal("body", (string?)problem["field"]);
    }

    [Fact]
    public async Task Otlp_WrongContentType_Is415()
    {
        using var response = await Post("/v1/metrics", "hello", "text/plain");
        await response.Problem(415);
    }

    [Fact]
    public async Task OtlpJson_UpdatesTheDevice_AndAnswersPartialSuccess()
    {
        var nanos = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000).ToString();
        var body = $$$"""
            {"resourceMetrics":[{"resource":{"attributes":[{"key":"host.name","value":{"stringValue":"west-h0007"}}]},
              "scopeMetrics":[{"metrics":[
                {"name":"hw.temperature","gauge":{"dataPoints":[
                  {"timeUnixNano":"{{{nanos}}}","asDouble":66.5,"attributes":[{"key":"hw.type","value":{"stringValue":"gpu"}},{"key":"hw.id","value":{"stringValue":"gpu3"}}]},
                  {"timeUnixNano":"{{{nanos}}}","asDouble":1,"attributes":[{"key":"hw.id","value":{"stringValue":"nowhere/gpu/x"}}]}
                ]}}]}]}]}
            """;
        using var response = await Post("/v1/metrics", body, "application/json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Body();
        Assert.Equal("1", answer["partialSuccess"]?["rejectedDataPoints"]?.ToString());
        Assert.Equal(66.5, (double)(await Device("west/gpu/h0007-3"))["metrics"]!["temperature_c"]!);
    }

    [Fact]
    public async Task TheOpenTelemetrySdk_PushesMetrics_AndTheDeviceStateChanges()
    {
        const string id = "east/gpu/h0040-6";
        using var meter = new Meter("twin-test-gpu-exporter");
        var temperature = 77.0;
        meter.CreateObservableGauge("hw.temperature", () => new Measurement<double>(temperature,
            new KeyValuePair<string, object?>("hw.id", id), new KeyValuePair<string, object?>("hw.type", "gpu")), unit: "Cel");
        meter.CreateObservableGauge("hw.power", () => new Measurement<double>(640,
            new KeyValuePair<string, object?>("hw.id", id)), unit: "W");
        using (var provider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => r.AddService("twin-otel-test"))
            .AddMeter(meter.Name)
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = new Uri(app.BaseAddress, "/v1/metrics");
                exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 3_600_000;
            })
            .Build())
        {
            Assert.True(provider.ForceFlush(10_000));
        }
        var gpu = await Device(id);
        Assert.Equal(77, (double)gpu["metrics"]!["temperature_c"]!);
        Assert.Equal(640, (double)gpu["metrics"]!["power_w"]!);
    }
}
