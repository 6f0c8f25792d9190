using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Twin.Api.Resilience;

namespace Twin.Api.Tests.Resilience;

/// <summary>Graceful stop: requests in flight finish, new ones are sent elsewhere, SSE feeds end so clients resume on another silo.</summary>
public sealed class DrainTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheDrain_WaitsForTheRequestsInFlight()
    {
        using var drain = new RequestDrain(Options.Create(new ResilienceOptions { DrainTimeout = TimeSpan.FromMinutes(5) }), NullLogger<RequestDrain>.Instance);
        drain.Enter();
        drain.Enter();
        var stopping = drain.StoppingAsync(Ct);
        Assert.True(drain.IsDraining);
        drain.Leave();
        Assert.False(stopping.IsCompleted);
        drain.Leave();
        await stopping;
        Assert.Equal(0, drain.InFlight);
    }

    [Fact]
    public async Task WhileDraining_ANewRequest_Is503WithConnectionClose()
    {
        await using var app = await ResilientApp.Start(a => a.MapGet("/sites", () => Results.Ok()), Ct);
        await app.App.Services.GetRequiredService<RequestDrain>().StoppingAsync(Ct);
        using var response = await app.Http.GetAsync("/sites", Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.ConnectionClose);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal("shutting-down", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["cause"]);
    }

    [Fact]
    public async Task TheDrain_EndsAnEventStream_Cleanly_AndDoesNotWaitForIt()
    {
        await using var app = await ResilientApp.Start(a => a.MapGet("/stream", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(": connected\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // as EventStreamResult: a cancelled feed ends its response normally
            }
        }).WithMetadata(new ProducesResponseTypeMetadata(200, null, ["text/event-stream"])), Ct);
        using var response = await app.Http.GetAsync("/stream", HttpCompletionOption.ResponseHeadersRead, Ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        Assert.Equal(": connected", await reader.ReadLineAsync(Ct));

        await app.App.Services.GetRequiredService<RequestDrain>().StoppingAsync(Ct);
        // the end of the stream, not a broken connection: the client reconnects with Last-Event-ID elsewhere
        Assert.Equal("", await reader.ReadToEndAsync(Ct) is var rest ? rest.Trim() : null);
    }
}
