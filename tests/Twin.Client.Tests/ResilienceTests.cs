using System.Net;
using Microsoft.AspNetCore.Http;

namespace Twin.Client.Tests;

/// <summary>Retries and SSE resume against scripted loopback servers, so each answer the twin could give is one the test chose.</summary>
public sealed class ResilienceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Health = """{"status":"ok","factory":"scripted","sites":["east"],"devices":3,"lastEventSequence":0}""";

    [Fact]
    public async Task A429_IsRetriedAfterRetryAfter_AndTheSecondAnswerIsReturned()
    {
        var attempts = 0;
        var retryAfterSent = new List<string?>();
        await using var server = await LoopbackServer.Start(async context =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "1";
                context.Response.ContentType = "application/problem+json";
                await context.Response.WriteAsync("""{"status":429,"title":"Ingestion busy"}""");
                return;
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Health);
        });
        // the back-off without the header would be 3 s: the recorded wait says which one the client used
        var clock = new RecordingTimeProvider();
        using var client = TwinClient.Create(new TwinClientOptions { BaseAddress = server.BaseAddress, InitialBackoff = TimeSpan.FromSeconds(3), TimeProvider = clock });
        var health = await client.GetHealthAsync(Ct);
        Assert.Equal(("scripted", 3), (health.Factory, health.Devices));
        Assert.Equal(2, attempts);
        Assert.Equal([TimeSpan.FromSeconds(1)], clock.Waits);
    }

    [Fact]
    public void RetryAfter_ReadsSecondsAndDates_AndNothingWhenAbsent()
    {
        using var seconds = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        seconds.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
        Assert.Equal(TimeSpan.FromSeconds(7), RetryHandler.RetryAfter(seconds));
        using var past = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        past.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddDays(-1));
        Assert.Equal(TimeSpan.Zero, RetryHandler.RetryAfter(past));
        using var none = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        Assert.Null(RetryHandler.RetryAfter(none));
    }

    [Fact]
    public async Task A503ThatPersists_IsRetriedMaxRetriesTimes_ThenSurfacesAsTheProblem()
    {
        var attempts = 0;
        await using var server = await LoopbackServer.Start(async context =>
        {
            Interlocked.Increment(ref attempts);
            context.Response.StatusCode = 503;
            context.Response.Headers.RetryAfter = "2";
            context.Response.ContentType = "application/problem+json";
            await context.Response.WriteAsync("""{"status":503,"title":"Silo not ready","detail":"starting"}""");
        });
        var clock = new RecordingTimeProvider();
        using var client = TwinClient.Create(new TwinClientOptions { BaseAddress = server.BaseAddress, MaxRetries = 2, TimeProvider = clock });
        var e = await Assert.ThrowsAsync<TwinApiException>(() => client.GetHealthAsync(Ct));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Silo not ready", "starting"), (e.Status, e.Title, e.Detail));
        Assert.Equal(3, attempts);
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)], clock.Waits);
    }

    [Fact]
    public async Task WithoutRetryAfter_TheBackOffDoubles()
    {
        await using var server = await LoopbackServer.Start(context =>
        {
            context.Response.StatusCode = 429;
            return Task.CompletedTask;
        });
        var clock = new RecordingTimeProvider();
        using var client = TwinClient.Create(new TwinClientOptions
        {
            BaseAddress = server.BaseAddress,
            MaxRetries = 4,
            InitialBackoff = TimeSpan.FromSeconds(1),
            MaxBackoff = TimeSpan.FromSeconds(5),
            TimeProvider = clock,
        });
        var e = await Assert.ThrowsAsync<TwinApiException>(() => client.GetSitesAsync(Ct));
        Assert.Equal(HttpStatusCode.TooManyRequests, e.Status);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5)], clock.Waits);
    }

    [Fact]
    public async Task ADroppedFeed_Reconnects_WithLastEventId_AndContinuesWhereItStopped()
    {
        var lastEventIds = new List<string>();
        await using var server = await LoopbackServer.Start(async context =>
        {
            var resume = context.Request.Headers["Last-Event-ID"].ToString();
            lock (lastEventIds)
            {
                lastEventIds.Add(resume);
            }
            context.Response.ContentType = "text/event-stream";
            // first connection: events 5 and 6, then the server drops it; the reconnect must ask for what follows 6
            var from = resume.Length == 0 ? 5 : long.Parse(resume, System.Globalization.CultureInfo.InvariantCulture) + 1;
            await context.Response.WriteAsync(": connected\n\n");
            for (var seq = from; seq < from + 2; seq++)
            {
                await context.Response.WriteAsync(
                    $"id: {seq}\nevent: fault-injected\ndata: {{\"sequence\":{seq},\"id\":\"e{seq}\",\"time\":\"2026-01-01T00:00:00Z\",\"kind\":\"fault-injected\",\"site\":\"east\",\"faultId\":\"f-{seq}\",\"summary\":\"s\"}}\n\n");
            }
        });
        using var client = TwinClient.Create(new TwinClientOptions { BaseAddress = server.BaseAddress, ReconnectDelay = TimeSpan.FromMilliseconds(1) });
        var seen = new List<long>();
        await foreach (var e in client.StreamEventsAsync(cancellationToken: Ct))
        {
            seen.Add(e.Sequence);
            if (seen.Count == 6)
            {
                break;
            }
        }
        Assert.Equal([5L, 6, 7, 8, 9, 10], seen);
        lock (lastEventIds)
        {
            Assert.Equal(["", "6", "8"], lastEventIds);
        }
    }

    [Fact]
    public async Task AnUnreachableTwin_IsAnHttpRequestException_ForOrdinaryCalls()
    {
        var server = await LoopbackServer.Start(_ => Task.CompletedTask);
        var address = server.BaseAddress;
        await server.DisposeAsync();
        using var client = TwinClient.Create(new TwinClientOptions { BaseAddress = address });
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetSitesAsync(Ct));
    }
}
