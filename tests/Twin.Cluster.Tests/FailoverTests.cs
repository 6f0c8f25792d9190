using System.Diagnostics;
using System.Globalization;

namespace Twin.Cluster.Tests;

/// <summary>
/// Three silos on PostgreSQL; one is killed (SIGKILL) while telemetry and faults keep arriving. What a
/// client was told happened (201 for a fault, an event it read) must still be there afterwards, once,
/// and every device must answer from the survivors.
/// </summary>
[Collection(TwinClusterCollection.Name)]
public sealed class FailoverTests(TwinClusterFixture cluster)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // a spread of GPUs over the three sites of demo.yaml (east 64×8, west 48×8, north 72×4)
    private static readonly string[] Sample = Enumerable.Range(0, 12)
        .SelectMany(i => new[] { $"east/gpu/h{i * 5:D4}-{i % 8}", $"west/gpu/h{i * 4:D4}-{i % 8}", $"north/gpu/h{i * 6:D4}-{i % 4}" })
        .ToArray();

    [Fact]
    public async Task KillingASilo_MidIngest_LosesNoAcknowledgedFaultOrEvent_AndEveryDeviceAnswersFromTheSurvivors()
    {
        await cluster.EnsureSilos(Ct);
        var silos = cluster.Running.ToList();
        var victim = silos[0];
        var survivors = silos.Skip(1).ToList();
        var insertsBefore = await cluster.Postgres.Scalar<long>("SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'twin_events'", Ct);

        // an SSE reader on the silo that will die: it must resume on a survivor without a gap
        var turn = 0;
        var sse = new SseFollower(() => victim.Running ? victim.Http : survivors[Interlocked.Increment(ref turn) % survivors.Count].Http);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var follower = sse.Run(stop.Token);

        // ingest: faults on distinct GPUs and telemetry swings (hot/cool) on others, spread over every silo
        var acknowledged = new List<string>();
        var faultTargets = new List<string>();
        var time = DateTimeOffset.UtcNow;
        var round = 0;
        async Task Ingest(IReadOnlyList<SiloProcess> targets, int rounds)
        {
            for (var i = 0; i < rounds; i++, round++)
            {
                var http = targets[round % targets.Count].Http;
                var target = $"{Sample[round % Sample.Length].Split('/')[0]}/gpu/h{40 + round / 8:D4}-{round % 4}";
                if (await Try(() => Rest.InjectFault(http, "gpu-xid", target)) is { } id)
                {
                    acknowledged.Add(id);
                    faultTargets.Add(target);
                }
                time = time.AddSeconds(1);
                var hot = round % 2 == 0;
                await Try(() => Rest.PostTelemetry(http, Sample.Take(6).Select(d => (d, time, hot ? 97.0 : 60.0))));
            }
        }
        await Ingest(silos, 12);
        Assert.True(acknowledged.Count >= 10, $"only {acknowledged.Count} of 12 faults were acknowledged before the kill");
        var seenBeforeKill = await Rest.Events(survivors[0].Http);

        var clock = Stopwatch.StartNew();
        victim.Kill();
        var killedAt = clock.Elapsed;
        // keep ingesting against the survivors while the cluster notices; failures here were never acknowledged
        var during = Ingest(survivors, 8);
        var recovered = await UntilEverythingAnswers(survivors, TimeSpan.FromSeconds(60));
        var failover = recovered - killedAt;
        await during;
        await Ingest(survivors, 8);
        Assert.True(acknowledged.Count >= 20, $"only {acknowledged.Count} of 28 faults were acknowledged");
        ClusterReport.Line($"failover: kill → every REST call answers again in {failover.TotalSeconds:F1} s ({acknowledged.Count} faults acknowledged)");

        // faults: every acknowledged one is there once, still active, and its GPU is still failed
        var faults = await Rest.Faults(survivors[0].Http);
        Assert.Equal(faults.Count, faults.Select(f => f.Id).Distinct().Count());
        Assert.All(acknowledged, id => Assert.Contains(faults, f => f.Id == id && f.Active));
        foreach (var target in faultTargets)
        {
            Assert.Equal("failed", await Rest.Health(survivors[1].Http, target));
        }

        // events: dense sequences, unique ids, nothing read before the kill changed, every acknowledged fault recorded
        var history = await Rest.Events(survivors[1].Http);
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.Seq));
        Assert.Equal(history.Count, history.Select(e => e.Id).Distinct().Count());
        Assert.Equal(seenBeforeKill, history.Take(seenBeforeKill.Count));
        Assert.All(acknowledged, id => Assert.Contains(history, e => e.Id == $"{id}:fault-injected"));

        // the SSE reader: reconnected, and what it got is the history in order, without a gap
        await WaitFor(() => sse.Last >= history[^1].Seq, TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await follower;
        Assert.True(sse.Reconnects >= 1, "the SSE reader should have lost its silo and reconnected");
        Assert.Equal(Enumerable.Range(1, sse.Received.Count).Select(i => (long)i), sse.Received);

        // the dead silo was declared dead (status 6) in the membership table: its grains live elsewhere now
        var dead = await cluster.Postgres.Scalar<long>($"SELECT count(*) FROM orleansmembershiptable WHERE port = {victim.SiloPort} AND status = 6", Ct);
        Assert.Equal(1, dead);

        var inserts = await cluster.Postgres.Scalar<long>("SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'twin_events'", Ct) - insertsBefore;
        ClusterReport.Line($"rows inserted into twin_events during the test: {inserts}; history length {history.Count}; SSE reconnects {sse.Reconnects}");
    }

    [Fact]
    public async Task RestartingTheWholeCluster_KeepsFaultsEventsAndFaultedDevices()
    {
        await cluster.EnsureSilos(Ct);
        var http = cluster.Running[0].Http;
        var target = "west/gpu/h0030-5";
        var id = await Rest.InjectFault(http, "gpu-xid", target);
        Assert.NotNull(id);
        var faults = await Rest.Faults(http);
        var events = await Rest.Events(http);

        cluster.KillAll();
        await cluster.StartSilos(TwinClusterFixture.Silos, Ct);
        var after = cluster.Running[1].Http;

        Assert.Equal(faults, await Rest.Faults(after));
        Assert.Equal(events, (await Rest.Events(after)).Take(events.Count));
        Assert.Equal("failed", await Rest.Health(after, target));
        // the fault counter came back too: the next fault gets a new id
        var next = await Rest.InjectFault(after, "gpu-xid", "west/gpu/h0031-5");
        Assert.DoesNotContain(faults, f => f.Id == next);
    }

    /// <summary>Polls a sample of devices over every site, the faults and the events on every survivor until all answer 200 in one round.</summary>
    private static async Task<TimeSpan> UntilEverythingAnswers(IReadOnlyList<SiloProcess> survivors, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var started = TimeSpan.Zero;
        while (clock.Elapsed < timeout)
        {
            var calls = survivors.SelectMany(s => Sample.Select(d => "/api/v1/devices/" + Uri.EscapeDataString(d))
                    .Append("/api/v1/faults").Append("/api/v1/events?since=0&limit=1").Append("/api/v1/sites")
                    .Select(path => (s.Http, path)))
                .ToList();
            var results = await Task.WhenAll(calls.Select(async c =>
            {
                try
                {
                    using var response = await c.Http.GetAsync(c.path, Ct);
                    return response.IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !Ct.IsCancellationRequested)
                {
                    return false;
                }
            }));
            if (results.All(ok => ok))
            {
                return started + clock.Elapsed;
            }
            await Task.Delay(200, Ct);
        }
        throw new TimeoutException($"the survivors did not all answer within {timeout}");
    }

    private static async Task<T?> Try<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !Ct.IsCancellationRequested)
        {
            return default;
        }
    }

    private static async Task WaitFor(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met in time");
            }
            await Task.Delay(100, Ct);
        }
    }
}
