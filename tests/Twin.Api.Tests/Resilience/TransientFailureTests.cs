using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Orleans.Runtime.Messaging;
using Orleans.Storage;
using Twin.Api.Resilience;

namespace Twin.Api.Tests.Resilience;

/// <summary>Which failures are "ask again" (503 + Retry-After) and which stay defects (500); reads retried once in the silo.</summary>
public sealed class TransientFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Orleans makes this one only inside the runtime; its constructor is internal
    private static OrleansMessageRejectionException Rejection(string message) =>
        (OrleansMessageRejectionException)typeof(OrleansMessageRejectionException)
            .GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic, [typeof(string)])!.Invoke([message]);

    public static TheoryData<string, TransientCause> Transient => new()
    {
        { "silo", TransientCause.SiloUnavailable },
        { "rejected", TransientCause.MessageRejected },
        { "connection", TransientCause.ConnectionFailed },
        { "busy", TransientCause.GatewayBusy },
        { "timeout", TransientCause.Timeout },
        { "npgsql-socket", TransientCause.StorageUnavailable },
        { "etag", TransientCause.StateConflict },
        { "wrapped-storage", TransientCause.StorageUnavailable },
        { "aggregate", TransientCause.SiloUnavailable },
    };

    private static Exception Make(string name) => name switch
    {
        "silo" => new SiloUnavailableException("silo S127.0.0.1:11111:1 is dead"),
        "rejected" => Rejection("Forwarding failed: tried to forward message for 2 times after Non-existent activation"),
        "connection" => new ConnectionFailedException("Unable to connect to endpoint S127.0.0.1:11112:1"),
        "busy" => new GatewayTooBusyException("overloaded"),
        "timeout" => new TimeoutException("Response did not arrive on time in 00:00:30"),
        "npgsql-socket" => new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)),
        "etag" => new InconsistentStateException("Version conflict (WriteState)", "3", "4"),
        // what grain storage throws when PostgreSQL is gone in the middle of a write
        "wrapped-storage" => new OrleansException("Error writing state", new NpgsqlException("Exception while writing to stream", new IOException("broken pipe"))),
        "aggregate" => new AggregateException(new InvalidOperationException("unrelated"), new SiloUnavailableException("gone")),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Transient))]
    public void ClusterAndStorageFailures_AreTransient(string failure, TransientCause cause) =>
        Assert.Equal(cause, TransientFailure.Of(Make(failure)));

    [Fact]
    public void Defects_AreNotTransient()
    {
        Assert.Null(TransientFailure.Of(new InvalidOperationException("a bug")));
        Assert.Null(TransientFailure.Of(new OrleansException("grain threw")));
        // a constraint violation is a defect, not an outage
        Assert.Null(TransientFailure.Of(new NpgsqlException("duplicate key value violates unique constraint")));
    }

    [Fact]
    public async Task ATransientFailure_Is503WithRetryAfter_AndAProblemNamingTheCause()
    {
        await using var app = await Start(a => a.MapPost("/write", () => Throw(new SiloUnavailableException("silo S1 is dead"))));
        using var response = await app.Http.PostAsync("/write", null, Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal(503, (int)problem["status"]!);
        Assert.Equal("silo-unavailable", (string?)problem["cause"]);
        Assert.Equal(2, (int)problem["retryAfterSeconds"]!);
    }

    [Fact]
    public async Task AWrite_IsNotRepeatedInTheSilo()
    {
        var calls = 0;
        await using var app = await Start(a => a.MapPost("/write", () =>
        {
            Interlocked.Increment(ref calls);
            return Throw(new ConnectionFailedException("no route"));
        }));
        using var response = await app.Http.PostAsync("/write", null, Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task ARead_IsTriedOnceMoreInTheSilo_SoAFailoverIsNotSeen()
    {
        var calls = 0;
        await using var app = await Start(a => a.MapGet("/read", () => Interlocked.Increment(ref calls) == 1
            ? Throw(Rejection("target silo is shutting down"))
            : Results.Ok(new { answer = 42 })));
        using var response = await app.Http.GetAsync("/read", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(42, (int)JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["answer"]!);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task ARead_ThatFailsTwice_Is503()
    {
        var calls = 0;
        await using var app = await Start(a => a.MapGet("/read", () =>
        {
            Interlocked.Increment(ref calls);
            return Throw(new TimeoutException("Response did not arrive on time"));
        }));
        using var response = await app.Http.GetAsync("/read", Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("timeout", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["cause"]);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task ADefect_StaysA500()
    {
        await using var app = await Start(a => a.MapGet("/bug", () => Throw(new InvalidOperationException("a bug"))));
        using var response = await app.Http.GetAsync("/bug", Ct);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    private static IResult Throw(Exception e) => throw e;

    private static Task<ResilientApp> Start(Action<WebApplication> map) => ResilientApp.Start(map, Ct);
}
