using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Twin.Telemetry;
using Twin.Telemetry.Prometheus;

namespace Twin.Bench.Suites;

/// <summary>
/// End-to-end ingest over loopback HTTP at large.yaml size (every GPU, dcgm-exporter text, JSON, OTLP),
/// beside the parse-only rate and a bare byte scan of the same bodies.
/// </summary>
public static class IngestSuite
{
    public const int GpusPerBody = 8_192;

    public static async Task<List<Figure>> Run(BenchHost host, TimeSpan budget)
    {
        var gpus = Payloads.Gpus(host.Topology);
        var chunks = gpus.Chunk(GpusPerBody).ToList();
        var text = Payloads.DcgmBodies(gpus, GpusPerBody, rounds: 2);
        var samplesPerBody = GpusPerBody * Payloads.DcgmFields.Length;
        Console.WriteLine($"ingest: {gpus.Count:N0} GPUs in {chunks.Count} bodies of ~{text[0][0].Length / 1e6:0.0} MB ({samplesPerBody:N0} samples each)");

        // first pass activates every GPU grain (the activation suite reports that); then steady state, unmeasured
        foreach (var body in text[0])
        {
            await Post(host, "/api/v1/telemetry/prometheus", body, "text/plain");
        }
        Task<long> Prometheus(int i) => Post(host, "/api/v1/telemetry/prometheus", text[i / chunks.Count % 2][i % chunks.Count], "text/plain");
        await Measure.Rate(2, Measure.WarmUp(budget), Prometheus);

        var pausedBefore = GC.GetTotalPauseDuration();
        var (prometheus, promSamples, promAllocated) = await Measure.Run(2, budget, Prometheus);
        Console.WriteLine($"ingest: prometheus {prometheus:N0} samples/s, {promAllocated / (double)promSamples:0} bytes allocated a sample, GC paused {(GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds / budget.TotalMilliseconds:P0} of the time");

        var json = chunks.Select(c => Payloads.Json(c, 2)).ToArray();
        var jsonRate = await Measure.Rate(2, budget, async i => await Post(host, "/api/v1/telemetry", json[i % json.Length], "application/json"));

        var otlp = chunks.Select(c => Payloads.OtlpProtobuf(c, 3, out _)).ToArray();
        var otlpRate = await Measure.Rate(2, budget, async i => await PostOtlp(host, otlp[i % otlp.Length]));

        // parse + map + group only (no HTTP, no grains), one core
        var mapper = host.Services.GetRequiredService<TelemetryMapper>();
        var (parse, parseSamples, parseAllocated) = await Measure.Run(1, budget / 2, i =>
            Task.FromResult(new PrometheusIngest(mapper).Ingest(text[0][i % chunks.Count].AsMemory(), DateTimeOffset.UtcNow).Report.Accepted));

        // the floor: find every line end of the same bytes
        var scan = await Measure.Rate(1, budget / 4, i => Task.FromResult((long)text[0][i % chunks.Count].AsSpan().Count((byte)'\n')));

        return
        [
            new("ingest.prometheus.samplesPerSecond", prometheus, "samples/s", parse, "samples/s", "parse+map only, 1 core"),
            // the whole process (client included) per sample, beside what parsing alone allocates per sample
            new("ingest.prometheus.allocatedBytesPerSample", promAllocated / (double)promSamples, "bytes", parseAllocated / (double)parseSamples, "bytes", "parse+map only"),
            new("ingest.prometheus.parseOnly.samplesPerSecond", parse, "samples/s", scan, "lines/s", "byte scan for '\\n'"),
            new("ingest.json.samplesPerSecond", jsonRate, "samples/s", prometheus, "samples/s", "prometheus end to end"),
            new("ingest.otlp.samplesPerSecond", otlpRate, "samples/s", prometheus, "samples/s", "prometheus end to end"),
        ];
    }

    public static Task<long> Post(BenchHost host, string path, byte[] body, string contentType) =>
        Post(host.Http, new Uri(host.Address, path), body, contentType);

    /// <summary>Posts a telemetry body; returns the samples the twin accepted, or throws with its answer.</summary>
    public static async Task<long> Post(HttpClient http, Uri endpoint, byte[] body, string contentType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await http.PostAsync(endpoint, content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{endpoint} answered {(int)response.StatusCode}: {text[..Math.Min(300, text.Length)]}");
        }
        return (long)JsonNode.Parse(text)!["accepted"]!;
    }

    private static async Task<long> PostOtlp(BenchHost host, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        using var response = await host.Http.PostAsync("/v1/metrics", content);
        response.EnsureSuccessStatusCode();
        var answer = Twin.Telemetry.Otlp.Wire.ExportMetricsServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        if (answer.PartialSuccess?.RejectedDataPoints > 0)
        {
            throw new InvalidOperationException("OTLP rejected points: " + answer.PartialSuccess.ErrorMessage);
        }
        // every point of the body was accepted: count them from the body's structure
        return Twin.Telemetry.Otlp.Wire.ExportMetricsServiceRequest.Parser.ParseFrom(body).ResourceMetrics
            .Sum(r => r.ScopeMetrics.Sum(s => s.Metrics.Sum(m => m.Gauge.DataPoints.Count)));
    }

    /// <summary>Seconds to push one reading to every device of the topology (activating its grain), then the same pass again.</summary>
    public static async Task<List<Figure>> Activation(BenchHost host)
    {
        var devices = host.Topology.Devices;
        var before = Environment.WorkingSet;
        var managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var bodies = devices.Chunk(16_384).Select(chunk =>
            System.Text.Encoding.UTF8.GetBytes("{\"samples\":[" + string.Join(",", chunk.Select(d =>
                $"{{\"device\":\"{d.Id}\",\"metrics\":{{\"{Metric(d.Kind)}\":1}}}}")) + "]}")).ToList();
        var first = Stopwatch.StartNew();
        foreach (var body in bodies)
        {
            await Post(host, "/api/v1/telemetry", body, "application/json");
        }
        first.Stop();
        var second = Stopwatch.StartNew();
        foreach (var body in bodies)
        {
            await Post(host, "/api/v1/telemetry", body, "application/json");
        }
        second.Stop();
        var managedAfter = GC.GetTotalMemory(forceFullCollection: true);
        var after = Environment.WorkingSet;
        Console.WriteLine($"activation: {devices.Count:N0} devices in {first.Elapsed.TotalSeconds:0.0} s; steady pass {second.Elapsed.TotalSeconds:0.0} s");
        return
        [
            new("activation.large.seconds", first.Elapsed.TotalSeconds, "s", second.Elapsed.TotalSeconds, "s", "same pass, grains already live"),
            new("activation.large.devicesPerSecond", devices.Count / first.Elapsed.TotalSeconds, "devices/s", devices.Count / second.Elapsed.TotalSeconds, "devices/s", "steady-state pass"),
            new("activation.large.workingSetBytes", after, "bytes", before, "bytes", "working set before activation"),
            new("activation.large.managedBytesPerDevice", (managedAfter - managedBefore) / (double)devices.Count, "bytes", managedBefore / (double)devices.Count, "bytes", "heap before activation, per device"),
        ];
    }

    private static string Metric(Twin.Model.Devices.DeviceKind kind) => kind switch
    {
        Twin.Model.Devices.DeviceKind.Gpu => "utilization",
        Twin.Model.Devices.DeviceKind.Link => "utilization",
        Twin.Model.Devices.DeviceKind.Dci => "utilization",
        _ => "temperature_c",
    };
}
