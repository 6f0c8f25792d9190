using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Twin.Bench.Suites;

/// <summary>
/// A fault injected over REST until an SSE client holds its event, p50/p99 over many faults, while a
/// paced telemetry load flows. The baseline is a bare HTTP round trip measured under the same load.
/// </summary>
public static class FaultToSseSuite
{
    public static async Task<List<Figure>> Run(BenchHost host, int faults, double telemetrySamplesPerSecond)
    {
        var gpus = Payloads.Gpus(host.Topology);
        var chunk = gpus.Take(IngestSuite.GpusPerBody).ToList();
        var body = Payloads.DcgmText(chunk, 7);
        var samplesPerBody = chunk.Count * Payloads.DcgmFields.Length;
        using var stop = new CancellationTokenSource();

        // paced telemetry in the background
        long sent = 0;
        var load = Task.Run(async () =>
        {
            var clock = Stopwatch.StartNew();
            while (!stop.IsCancellationRequested)
            {
                sent += await IngestSuite.Post(host, "/api/v1/telemetry/prometheus", body, "text/plain");
                var due = TimeSpan.FromSeconds(sent / telemetrySamplesPerSecond);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed, stop.Token).ContinueWith(_ => { });
                }
            }
            return clock.Elapsed;
        });

        // the SSE reader records when each fault's event arrives
        var arrived = new ConcurrentDictionary<string, long>();
        var waiters = new ConcurrentDictionary<string, TaskCompletionSource>();
        using var sse = new HttpClient { BaseAddress = host.Address, Timeout = Timeout.InfiniteTimeSpan };
        using var stream = await sse.GetStreamAsync("/api/v1/events/stream?kind=fault-injected");
        var reader = Task.Run(async () =>
        {
            using var lines = new StreamReader(stream);
            while (await lines.ReadLineAsync(stop.Token) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    var now = Stopwatch.GetTimestamp();
                    var id = (string?)JsonNode.Parse(line.AsSpan(6).ToString())?["faultId"];
                    if (id is not null && arrived.TryAdd(id, now) && waiters.TryRemove(id, out var w))
                    {
                        w.TrySetResult();
                    }
                }
            }
        });

        var latencies = new List<double>(faults);
        var posts = new List<double>(faults);
        var pings = new List<double>(faults);
        for (var i = 0; i < faults; i++)
        {
            var target = gpus[(i * 37) % gpus.Count].Id;
            var t0 = Stopwatch.GetTimestamp();
            using var response = await host.Http.PostAsJsonAsync("/api/v1/faults", new { kind = "gpu-xid", target, parameters = new { xid = 79 } });
            var fault = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            posts.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            var id = (string)fault["id"]!;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters[id] = done;
            if (!arrived.ContainsKey(id))
            {
                await done.Task.WaitAsync(TimeSpan.FromSeconds(5));
            }
            latencies.Add(Stopwatch.GetElapsedTime(t0, arrived[id]).TotalMilliseconds);
            (await host.Http.DeleteAsync($"/api/v1/faults/{id}")).Dispose();

            var p0 = Stopwatch.GetTimestamp();
            (await host.Http.GetAsync("/bench/ping")).Dispose();
            pings.Add(Stopwatch.GetElapsedTime(p0).TotalMilliseconds);
        }
        await stop.CancelAsync();
        var elapsed = await load;
        await reader.ContinueWith(_ => { });
        var rate = sent / elapsed.TotalSeconds;
        Console.WriteLine($"fault→SSE: {faults} faults under {rate:N0} samples/s of telemetry");
        return
        [
            new("faultToSse.p50Ms", Measure.Percentile(latencies, 50), "ms", Measure.Percentile(pings, 50), "ms", "bare HTTP round trip p50"),
            new("faultToSse.p99Ms", Measure.Percentile(latencies, 99), "ms", Measure.Percentile(pings, 99), "ms", "bare HTTP round trip p99"),
            new("faultInject.p99Ms", Measure.Percentile(posts, 99), "ms", Measure.Percentile(pings, 99), "ms", "bare HTTP round trip p99"),
            new("faultToSse.telemetrySamplesPerSecond", rate, "samples/s", telemetrySamplesPerSecond, "samples/s", "target background load"),
        ];
    }
}
