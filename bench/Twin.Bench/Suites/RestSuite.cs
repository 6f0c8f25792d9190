using System.Text.Json.Nodes;

namespace Twin.Bench.Suites;

/// <summary>
/// GET of one device under concurrent load, and paging the whole device list, beside a bare endpoint on the same
/// server under the same load. The load comes from wrk when it is installed (a process of its own, as a real client
/// is), else from an in-process HttpClient loop that shares the server's cores.
/// </summary>
public static class RestSuite
{
    public static async Task<List<Figure>> Run(BenchHost host, TimeSpan budget, int concurrency)
    {
        var ids = host.Topology.Devices.Where((_, i) => i % 97 == 0).Select(d => "/api/v1/devices/" + Uri.EscapeDataString(d.Id)).ToArray();
        var wrk = Wrk.Find();
        var generator = wrk is null ? "in-process HttpClient" : "wrk";
        Console.WriteLine($"rest: GET device over {ids.Length:N0} devices by {concurrency} connections from {generator}");
        Func<IReadOnlyList<string>, TimeSpan, Task<LoadResult>> load = wrk is null
            ? (paths, time) => InProcess(host, paths, concurrency, time)
            : (paths, time) => Wrk.Run(wrk, host.Address, paths, concurrency, time);

        // unmeasured first: every sampled device's grain is activated, both paths reach their optimised code and the
        // GC settles its heap count and budgets (under 5 s of this, p99 was twice what it is in steady state)
        await load(ids, Measure.WarmUp(budget));
        await load(["/bench/ping"], Measure.WarmUp(budget));
        var gcs = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var device = await load(ids, budget);
        Console.WriteLine($"rest: GET device {device.RequestsPerSecond:N0} req/s, p99 {device.P99Ms:0.00} ms; GCs meanwhile gen0 {GC.CollectionCount(0) - gcs.Item1}, gen1 {GC.CollectionCount(1) - gcs.Item2}, gen2 {GC.CollectionCount(2) - gcs.Item3}");
        var ping = await load(["/bench/ping"], budget);

        var pages = 0;
        var devices = 0;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        string? cursor = null;
        do
        {
            var page = JsonNode.Parse(await host.Http.GetStringAsync("/api/v1/devices?limit=1000" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))))!;
            devices += page["items"]!.AsArray().Count;
            cursor = (string?)page["next"];
            pages++;
        }
        while (cursor is not null);
        watch.Stop();
        Console.WriteLine($"rest: paged {devices:N0} devices in {pages} pages, {watch.Elapsed.TotalSeconds:0.00} s");

        return
        [
            new("rest.getDevice.requestsPerSecond", device.RequestsPerSecond, "req/s", ping.RequestsPerSecond, "req/s", $"bare endpoint, same load ({generator})"),
            new("rest.getDevice.p99Ms", device.P99Ms, "ms", ping.P99Ms, "ms", $"bare endpoint p99 ({generator})"),
            new("rest.listDevices.devicesPerSecond", devices / watch.Elapsed.TotalSeconds, "devices/s", ping.RequestsPerSecond, "req/s", "bare endpoint requests"),
        ];
    }

    private static async Task<LoadResult> InProcess(BenchHost host, IReadOnlyList<string> paths, int concurrency, TimeSpan budget)
    {
        var next = 0;
        var (rate, latencies) = await Measure.Load(concurrency, budget, async () =>
        {
            using var r = await host.Http.GetAsync(paths[Interlocked.Increment(ref next) % paths.Count]);
            r.EnsureSuccessStatusCode();
            await r.Content.ReadAsByteArrayAsync();
        });
        return new LoadResult(rate, Measure.Percentile(latencies, 99));
    }
}
