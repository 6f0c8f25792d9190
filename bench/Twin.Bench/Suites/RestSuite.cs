using System.Text.Json.Nodes;

namespace Twin.Bench.Suites;

/// <summary>GET of one device under concurrent load, and paging the whole device list, beside a bare endpoint on the same server.</summary>
public static class RestSuite
{
    public static async Task<List<Figure>> Run(BenchHost host, TimeSpan budget, int concurrency)
    {
        var ids = host.Topology.Devices.Where((_, i) => i % 97 == 0).Select(d => "/api/v1/devices/" + Uri.EscapeDataString(d.Id)).ToArray();
        var next = 0;
        var (deviceRate, deviceLatency) = await Measure.Load(concurrency, budget, async () =>
        {
            using var r = await host.Http.GetAsync(ids[Interlocked.Increment(ref next) % ids.Length]);
            r.EnsureSuccessStatusCode();
            await r.Content.ReadAsByteArrayAsync();
        });
        var (pingRate, pingLatency) = await Measure.Load(concurrency, budget, async () =>
        {
            using var r = await host.Http.GetAsync("/bench/ping");
            await r.Content.ReadAsByteArrayAsync();
        });

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
            new("rest.getDevice.requestsPerSecond", deviceRate, "req/s", pingRate, "req/s", "bare endpoint, same load"),
            new("rest.getDevice.p99Ms", Measure.Percentile(deviceLatency, 99), "ms", Measure.Percentile(pingLatency, 99), "ms", "bare endpoint p99"),
            new("rest.listDevices.devicesPerSecond", devices / watch.Elapsed.TotalSeconds, "devices/s", pingRate, "req/s", "bare endpoint requests"),
        ];
    }
}
