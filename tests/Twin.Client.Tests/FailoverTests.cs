using System.Net;
using Microsoft.AspNetCore.Http;
using Twin.Client.Views;

namespace Twin.Client.Tests;

/// <summary>The client against silos that die, restart and lose answers: other silos, safe resends, idempotency keys.</summary>
public sealed class FailoverTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Health = """{"status":"ok","factory":"scripted","sites":["east"],"devices":3,"lastEventSequence":0}""";
    private const string Fault = """
        {"id":"f-000001","kind":"gpu-xid","target":"east/gpu/h0000-1","site":"east","parameters":{"xid":"79"},"active":true,
         "source":"api","at":"2026-01-01T00:00:00Z","affectedDevices":1,"affected":["east/gpu/h0000-1"],"summary":"XID 79"}
        """;

    private static async Task<Uri> DeadAddress()
    {
        var server = await LoopbackServer.Start(_ => Task.CompletedTask);
        var address = server.BaseAddress;
        await server.DisposeAsync();
        return address;
    }

    private static Task Json(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body);
    }

    [Fact]
    public async Task ASiloThatRefusesConnections_IsPassedOver_ForTheNextAddress_AndLaterCallsStayThere()
    {
        var calls = 0;
        await using var live = await LoopbackServer.Start(context =>
        {
            Interlocked.Increment(ref calls);
            return Json(context, 200, Health);
        });
        var clock = new RecordingTimeProvider();
        using var client = TwinClient.Create(new TwinClientOptions
        {
            BaseAddress = await DeadAddress(),
            FallbackAddresses = [live.BaseAddress],
            TimeProvider = clock,
        });
        Assert.Equal("scripted", (await client.GetHealthAsync(Ct)).Factory);
        Assert.Equal("scripted", (await client.GetHealthAsync(Ct)).Factory);
        Assert.Equal(2, calls);
        // one failed connection, one back-off: the second call went straight to the live silo
        Assert.Equal([TimeSpan.FromMilliseconds(200)], clock.Waits);
    }

    [Fact]
    public async Task A503_SendsTheRetryToTheNextSilo()
    {
        var leaving = 0;
        await using var shuttingDown = await LoopbackServer.Start(async context =>
        {
            Interlocked.Increment(ref leaving);
            context.Response.StatusCode = 503;
            context.Response.Headers.RetryAfter = "1";
            await context.Response.WriteAsync("""{"status":503,"title":"Temporarily unavailable","cause":"shutting-down"}""");
        });
        await using var live = await LoopbackServer.Start(context => Json(context, 200, Health));
        using var client = TwinClient.Create(new TwinClientOptions
        {
            BaseAddress = shuttingDown.BaseAddress,
            FallbackAddresses = [live.BaseAddress],
            TimeProvider = new RecordingTimeProvider(),
        });
        Assert.Equal("scripted", (await client.GetHealthAsync(Ct)).Factory);
        Assert.Equal(1, leaving);
    }

    [Fact]
    public async Task ACreate_CarriesAnIdempotencyKey_ThatEveryRetryOfItRepeats_AndTheNextCreateGetsANewOne()
    {
        var keys = new List<string>();
        await using var server = await LoopbackServer.Start(context =>
        {
            int attempt;
            lock (keys)
            {
                keys.Add(context.Request.Headers["Idempotency-Key"].ToString());
                attempt = keys.Count;
            }
            if (attempt == 1)
            {
                context.Response.StatusCode = 503;
                return Task.CompletedTask;
            }
            return Json(context, 201, Fault);
        });
        using var client = TwinClient.Create(new TwinClientOptions { BaseAddress = server.BaseAddress, TimeProvider = new RecordingTimeProvider() });
        var request = new FaultRequest("gpu-xid", "east/gpu/h0000-1", new Dictionary<string, string> { ["xid"] = "79" });
        Assert.Equal("f-000001", (await client.InjectFaultAsync(request, Ct)).Id);
        Assert.Equal("f-000001", (await client.InjectFaultAsync(request, Ct)).Id);
        Assert.Equal(3, keys.Count);
        Assert.All(keys, k => Assert.True(Guid.TryParse(k, out _), $"'{k}' is not a key"));
        Assert.Equal(keys[0], keys[1]);
        Assert.NotEqual(keys[1], keys[2]);
    }

    [Fact]
    public async Task AConnectionBrokenAfterTheRequestWasSent_ResendsACreateWithItsKey_ButNotTelemetry()
    {
        var faults = 0;
        var telemetry = 0;
        await using var server = await LoopbackServer.Start(context =>
        {
            // the twin received the request and then its process died: no answer at all
            if (context.Request.Path.StartsWithSegments("/api/v1/telemetry"))
            {
                Interlocked.Increment(ref telemetry);
                context.Abort();
                return Task.CompletedTask;
            }
            if (Interlocked.Increment(ref faults) == 1)
            {
                context.Abort();
                return Task.CompletedTask;
            }
            return Json(context, 201, Fault);
        });
        using var client = TwinClient.Create(new TwinClientOptions { BaseAddress = server.BaseAddress, TimeProvider = new RecordingTimeProvider() });
        Assert.Equal("f-000001", (await client.InjectFaultAsync(new FaultRequest("gpu-xid", "east/gpu/h0000-1"), Ct)).Id);
        Assert.Equal(2, faults);
        var batch = new TelemetryBatch([new TelemetrySample("east/gpu/h0000-1", null, new Dictionary<string, double> { ["temperature_c"] = 60 })]);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.PostTelemetryAsync(batch, Ct));
        Assert.Equal(1, telemetry);
    }

    [Fact]
    public async Task A409WithRetryAfter_IsARequestStillRunning_AndIsAskedAgain_A409WithoutIt_IsAnAnswer()
    {
        var attempts = 0;
        await using var server = await LoopbackServer.Start(async context =>
        {
            var attempt = Interlocked.Increment(ref attempts);
            if (context.Request.Path.StartsWithSegments("/api/v1/jobs"))
            {
                context.Response.StatusCode = 409;
                context.Response.ContentType = "application/problem+json";
                await context.Response.WriteAsync("""{"status":409,"title":"Not enough capacity"}""");
                return;
            }
            if (attempt == 1)
            {
                context.Response.StatusCode = 409;
                context.Response.Headers.RetryAfter = "1";
                await context.Response.WriteAsync("""{"status":409,"title":"Request in progress"}""");
                return;
            }
            await Json(context, 201, Fault);
        });
        var clock = new RecordingTimeProvider();
        using var client = TwinClient.Create(new TwinClientOptions { BaseAddress = server.BaseAddress, TimeProvider = clock });
        Assert.Equal("f-000001", (await client.InjectFaultAsync(new FaultRequest("gpu-xid", "east/gpu/h0000-1"), Ct)).Id);
        Assert.Equal([TimeSpan.FromSeconds(1)], clock.Waits);
        var refused = await Assert.ThrowsAsync<TwinApiException>(() => client.SubmitJobAsync(new JobRequest("j", Gpus: 8), Ct));
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal(3, attempts);
    }
}
