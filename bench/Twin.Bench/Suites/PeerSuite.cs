using System.Net.Http.Headers;
using Twin.LocalCluster;
using Twin.Silo.Hosting;

namespace Twin.Bench.Suites;

/// <summary>
/// The twin against its peer on the same bodies in the same run: the built <c>twin</c> executable as a user runs it
/// (embedded, every setting at its default: synthetic telemetry on, Orleans Dashboard off) in a process of its own,
/// then VictoriaMetrics single-node (<c>/api/v1/import/prometheus</c>, <c>/api/v1/write</c>), each fed by the same
/// poster with <see cref="Connections"/> requests in flight, and each alone on the machine while measured.
/// Skipped when <c>victoria-metrics</c> is not installed.
/// </summary>
public static class PeerSuite
{
    /// <summary>Requests in flight, as four connections from wrk.</summary>
    public const int Connections = 4;

    public static async Task<List<Figure>> Run(string root, string topologyPath, string tag, TimeSpan budget)
    {
        var vmBinary = VictoriaMetricsServer.Find();
        if (vmBinary is null)
        {
            Console.WriteLine("peer: victoria-metrics not installed (Debian: apt-get install victoria-metrics); skipped");
            return [];
        }
        var topology = TwinHost.LoadTopology(topologyPath);
        var gpus = Payloads.Gpus(topology);
        var perBody = Math.Min(gpus.Count, IngestSuite.GpusPerBody);
        var chunks = gpus.Chunk(perBody).ToArray();
        var text = Payloads.DcgmBodies(gpus, perBody, rounds: 2);
        var textSamples = chunks.Select(c => (long)c.Length * Payloads.DcgmFields.Length).ToArray();
        var stamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var remoteWrite = Enumerable.Range(0, 2).Select(r => chunks.Select(c => Payloads.RemoteWrite(c, r, stamp, out _)).ToArray()).ToArray();
        var otlp = chunks.Select(c => (Body: Payloads.OtlpProtobuf(c, 3, out var n), Samples: (long)n)).ToArray();
        Console.WriteLine($"peer {tag}: {gpus.Count:N0} GPUs in {chunks.Length} bodies of {textSamples[0]:N0} samples " +
            $"(text {text[0][0].Length / 1e6:0.0} MB, remote write {remoteWrite[0][0].Length / 1e6:0.0} MB snappy)");

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Connections }) { Timeout = TimeSpan.FromMinutes(2) };
        (byte[] Body, long Samples) Text(int i) => (text[i / chunks.Length % 2][i % chunks.Length], textSamples[i % chunks.Length]);
        (byte[] Body, long Samples) Rw(int i) => (remoteWrite[i / chunks.Length % 2][i % chunks.Length], textSamples[i % chunks.Length]);

        // the twin as a user runs it, its own process
        double twinText, twinRw, twinOtlp;
        var logs = Directory.CreateTempSubdirectory("twin-bench-peer-").FullName;
        using (var twin = SiloProcess.StartDefault("twin-default", SiloProcess.TwinDll(root), logs, $"--Twin:Topology={topologyPath}"))
        {
            await twin.WaitHealthy(TimeSpan.FromMinutes(5), CancellationToken.None);
            var twinUri = twin.Http.BaseAddress!;
            var textUri = new Uri(twinUri, "/api/v1/telemetry/prometheus");
            var rwUri = new Uri(twinUri, "/api/v1/write");
            var otlpUri = new Uri(twinUri, "/v1/metrics");
            foreach (var body in text[0])
            {
                await IngestSuite.Post(http, textUri, body, "text/plain"); // activates every GPU grain, unmeasured
            }
            Task<long> TwinText(int i) => IngestSuite.Post(http, textUri, Text(i).Body, "text/plain");
            Task<long> TwinRw(int i) => Send(http, rwUri, Rw(i), "application/x-protobuf", snappy: true);
            Task<long> TwinOtlp(int i) => Send(http, otlpUri, otlp[i % otlp.Length], "application/x-protobuf", snappy: false);
            twinText = await Timed(budget, TwinText);
            twinRw = await Timed(budget, TwinRw);
            twinOtlp = await Timed(budget, TwinOtlp);
        }
        Console.WriteLine($"peer {tag}: twin (default) text {twinText:N0}, remote write {twinRw:N0}, OTLP {twinOtlp:N0} samples/s");

        double vmText, vmRw;
        await using (var vm = await VictoriaMetricsServer.Start(vmBinary))
        {
            var textUri = new Uri(vm.Address, "/api/v1/import/prometheus");
            var rwUri = new Uri(vm.Address, "/api/v1/write");
            foreach (var i in Enumerable.Range(0, chunks.Length))
            {
                await Send(http, textUri, Text(i), "text/plain", snappy: false); // registers every series, unmeasured
            }
            vmText = await Timed(budget, i => Send(http, textUri, Text(i), "text/plain", snappy: false));
            vmRw = await Timed(budget, i => Send(http, rwUri, Rw(i), "application/x-protobuf", snappy: true));
        }
        Console.WriteLine($"peer {tag}: VictoriaMetrics text {vmText:N0}, remote write {vmRw:N0} samples/s");

        const string peer = "VictoriaMetrics, same bodies, same run";
        return
        [
            new($"ingest.{tag}prometheus.vsVictoriaMetrics", twinText, "samples/s", vmText, "samples/s", peer),
            new($"ingest.{tag}remoteWrite.vsVictoriaMetrics", twinRw, "samples/s", vmRw, "samples/s", peer),
            new($"ingest.{tag}otlp.vsPrometheusText", twinOtlp, "samples/s", twinText, "samples/s", "Prometheus text, same default twin"),
        ];
    }

    // warm-up unmeasured (JIT tiers, GC heap sizing, the peer's caches), then the measured run
    private static async Task<double> Timed(TimeSpan budget, Func<int, Task<long>> work)
    {
        await Measure.Rate(Connections, Measure.WarmUp(budget), work);
        return await Measure.Rate(Connections, budget, work);
    }

    /// <summary>Posts a body whose samples are known (204 answers carry no count); throws with the answer on a refusal.</summary>
    private static async Task<long> Send(HttpClient http, Uri endpoint, (byte[] Body, long Samples) payload, string contentType, bool snappy)
    {
        using var content = new ByteArrayContent(payload.Body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (snappy)
        {
            content.Headers.ContentEncoding.Add("snappy");
            content.Headers.Add("X-Prometheus-Remote-Write-Version", "0.1.0");
        }
        using var response = await http.PostAsync(endpoint, content);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync();
            throw new InvalidOperationException($"{endpoint} answered {(int)response.StatusCode}: {text[..Math.Min(300, text.Length)]}");
        }
        return payload.Samples;
    }
}
