using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Twin.Api.Resilience;

namespace Twin.Api.Tests.Resilience;

/// <summary><c>Idempotency-Key</c> on the real twin: a repeated create answers the first answer and creates nothing more.</summary>
[Collection(TwinAppCollection.Name)]
public sealed class IdempotencyApiTests(TwinAppFixture app)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpResponseMessage> Post(string path, string json, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return await app.Http.SendAsync(request, Ct);
    }

    private async Task<int> FaultCount() => (await app.Http.GetJson("/api/v1/faults"))["items"]!.AsArray().Count;

    [Fact]
    public async Task TheSameKeyAndBody_AnswersTheFirstAnswer_AndInjectsOneFault()
    {
        var key = Guid.NewGuid().ToString();
        const string body = """{"kind":"gpu-xid","target":"north/gpu/h0050-1","parameters":{"xid":79}}""";
        var before = await FaultCount();
        using var first = await Post("/api/v1/faults", body, key);
        using var second = await Post("/api/v1/faults", body, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        var a = await first.Content.ReadAsStringAsync(Ct);
        Assert.Equal(a, await second.Content.ReadAsStringAsync(Ct));
        Assert.False(first.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
        Assert.Equal("true", second.Headers.GetValues(IdempotencyMiddleware.ReplayedHeader).Single());
        Assert.Equal(before + 1, await FaultCount());
        var id = (string)JsonNode.Parse(a)!["id"]!;
        Assert.Single((await app.Http.GetJson("/api/v1/faults"))["items"]!.AsArray(), f => (string?)f!["id"] == id);
    }

    [Fact]
    public async Task TheSameKeyWithAnotherBody_Is422_AndCreatesNothing()
    {
        var key = Guid.NewGuid().ToString();
        using var first = await Post("/api/v1/faults", """{"kind":"gpu-xid","target":"north/gpu/h0051-1","parameters":{"xid":79}}""", key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var before = await FaultCount();
        using var other = await Post("/api/v1/faults", """{"kind":"gpu-xid","target":"north/gpu/h0051-2","parameters":{"xid":79}}""", key);
        var problem = await other.Problem(422);
        Assert.Equal("Idempotency-Key", (string?)problem["field"]);
        Assert.Equal(before, await FaultCount());
    }

    [Fact]
    public async Task WithoutAKey_EveryPostCreates()
    {
        const string body = """{"kind":"gpu-xid","target":"north/gpu/h0052-1","parameters":{"xid":79}}""";
        var before = await FaultCount();
        using var first = await Post("/api/v1/faults", body, null);
        using var second = await Post("/api/v1/faults", body, null);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.NotEqual((string?)(await first.Body())["id"], (string?)(await second.Body())["id"]);
        Assert.Equal(before + 2, await FaultCount());
    }

    [Fact]
    public async Task ARefusal_IsKeptToo_SoARetryIsNotRunAgain()
    {
        // 404 is an answer, not a failure: the same request gets it again without reaching the registry
        var key = Guid.NewGuid().ToString();
        const string body = """{"kind":"gpu-xid","target":"nowhere/gpu/x","parameters":{"xid":79}}""";
        using var first = await Post("/api/v1/faults", body, key);
        using var second = await Post("/api/v1/faults", body, key);
        await first.Problem(404);
        await second.Problem(404);
        Assert.Equal("true", second.Headers.GetValues(IdempotencyMiddleware.ReplayedHeader).Single());
    }

    [Fact]
    public async Task AJobSubmittedTwiceWithOneKey_IsOneJob()
    {
        var key = Guid.NewGuid().ToString();
        const string body = """{"name":"idem","kind":"training","gpus":8,"sites":["north"],"parallelism":{"tp":4,"pp":1,"dp":2},"modelParams":7e9}""";
        using var first = await Post("/api/v1/jobs", body, key);
        using var second = await Post("/api/v1/jobs", body, key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var id = (string)(await first.Body())["id"]!;
        Assert.Equal(id, (string?)(await second.Body())["id"]);
        Assert.Single((await app.Http.GetJson("/api/v1/jobs"))["items"]!.AsArray(), j => (string?)j!["id"] == id);
        using var cancel = await app.Http.DeleteAsync($"/api/v1/jobs/{id}", Ct);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tab\there")]
    public async Task ABadKey_Is400NamingTheHeader(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/faults")
        {
            Content = new StringContent("""{"kind":"gpu-xid","target":"north/gpu/h0053-1","parameters":{"xid":79}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        using var response = await app.Http.SendAsync(request, Ct);
        Assert.Equal("Idempotency-Key", (string?)(await response.Problem(400))["field"]);
    }

    [Fact]
    public async Task KeysApplyToCreates_NotToOtherPosts()
    {
        // a plan is a computation, not a create: a key changes nothing, and another body with it is no conflict
        var key = Guid.NewGuid().ToString();
        using var first = await Post("/api/v1/plans/fabric", """{"gpus":2048,"switchRadix":64,"nicGbps":800,"portGbps":800}""", key);
        using var second = await Post("/api/v1/plans/fabric", """{"gpus":2049,"switchRadix":64,"nicGbps":800,"portGbps":800}""", key);
        Assert.Equal(2, (int)(await first.Body())["tiers"]!);
        Assert.Equal(3, (int)(await second.Body())["tiers"]!);
        Assert.False(second.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
    }

    [Fact]
    public async Task AClaimStillRunning_Is409WithRetryAfter()
    {
        var store = app.Services.GetRequiredService<IIdempotencyStore>();
        var key = Guid.NewGuid().ToString();
        const string body = """{"kind":"gpu-xid","target":"north/gpu/h0054-1","parameters":{"xid":79}}""";
        using (var probe = await Post("/api/v1/faults", body, key))
        {
            Assert.Equal(HttpStatusCode.Created, probe.StatusCode);
        }
        // the stored record tells the fingerprint of this body; a claim of a fresh key with it stands for a request still running
        var fingerprint = (await store.Claim("-:" + key, "another request", TimeSpan.FromHours(1), TimeSpan.FromHours(1), Ct))!.Fingerprint;
        var inFlight = Guid.NewGuid().ToString();
        Assert.Null(await store.Claim("-:" + inFlight, fingerprint, TimeSpan.FromHours(1), TimeSpan.FromHours(1), Ct));
        using var response = await Post("/api/v1/faults", body, inFlight);
        // just claimed: it may be taken over only after the request timeout (35 s), so the wait is the cap, 10 s
        Assert.Equal(10, (int)(await response.Problem(409))["retryAfterSeconds"]!);
        Assert.Equal(TimeSpan.FromSeconds(10), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task TheFaultRegistry_AnswersARerunOfTheSameKey_WithTheFaultItAlreadyInjected()
    {
        // what happens when a silo died after the registry stored the fault but before the answer left: the claim
        // is released, the client retries, and the request runs again with its key
        var registry = app.Grains.GetGrain<Twin.Contracts.Faults.IFaultRegistryGrain>(Twin.Contracts.Streams.TwinStreams.FactoryKey);
        var request = new Twin.Contracts.Faults.InjectFault("gpu-xid", "north/gpu/h0055-1", new Dictionary<string, string> { ["xid"] = "79" });
        Twin.Grains.Persistence.RequestKey.Set("-:" + Guid.NewGuid());
        try
        {
            var first = await registry.Inject(request);
            var rerun = await registry.Inject(request);
            Assert.Equal(first.Fault!.Id, rerun.Fault!.Id);
            Assert.True(rerun.Succeeded);
        }
        finally
        {
            Twin.Grains.Persistence.RequestKey.Set(null);
        }
        var other = await registry.Inject(request with { Target = "north/gpu/h0055-2" });
        Assert.True(other.Succeeded);
        Assert.Single((await app.Http.GetJson("/api/v1/faults"))["items"]!.AsArray(), f => (string?)f!["target"] == "north/gpu/h0055-1");
    }
}
