using System.Net;
using System.Text;

namespace Twin.Api.Tests.Security;

/// <summary>Body limits by convention (413) and per-key rate limits (429), both as ProblemDetails.</summary>
[Collection(SecuredTwinCollection.Name)]
public sealed class LimitsTests(SecuredTwinFixture twin)
{
    [Fact]
    public async Task AJsonCommandOverOneMegabyte_Is413_BeforeItIsRead()
    {
        var json = "{\"kind\":\"gpu-xid\",\"target\":\"east/gpu/h0001-0\",\"parameters\":{\"note\":\"" + new string('x', 1024 * 1024) + "\"}}";
        using var response = await twin.Http.SendAsync(
            twin.Request(HttpMethod.Post, "/api/v1/faults", SecuredTwinFixture.OperatorKey, new StringContent(json, Encoding.UTF8, "application/json")),
            TestContext.Current.CancellationToken);
        var body = await response.Problem(413);
        Assert.Equal("body", (string?)body["field"]);
        Assert.Contains("1,048,576", (string?)body["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TelemetryKeepsItsOwnLimit_NotTheJsonCommandOne()
    {
        // Twin:Ingest:MaxBodyBytes (larger than 1 MB) applies to telemetry, so a 1.5 MB batch is read and parsed
        var sample = "{\"device\":\"east/gpu/h0002-1\",\"metrics\":{\"temperature_c\":55}},";
        var json = "{\"samples\":[" + string.Concat(Enumerable.Repeat(sample, 1_500_000 / sample.Length)).TrimEnd(',') + "]}";
        using var response = await twin.Http.SendAsync(
            twin.Request(HttpMethod.Post, "/api/v1/telemetry", SecuredTwinFixture.IngestKey, new StringContent(json, Encoding.UTF8, "application/json")),
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AKeyOverItsRate_Gets429_WithRetryAfter_WhileAnotherKeyIsUnaffected()
    {
        await using var host = await TwinTestHost.Start(
        [
            "--Twin:Auth:Keys:0:Key=limited-reader-key-1", "--Twin:Auth:Keys:0:Roles:0=reader",
            "--Twin:Auth:Keys:1:Key=other-reader-key-22", "--Twin:Auth:Keys:1:Roles:0=reader",
            "--Twin:RateLimit:TokenLimit=3", "--Twin:RateLimit:TokensPerPeriod=1", "--Twin:RateLimit:ReplenishmentPeriod=00:01:00",
        ]);
        async Task<HttpResponseMessage> Get(string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/faults/kinds");
            request.Headers.Add("X-Api-Key", key);
            return await host.Http.SendAsync(request, TestContext.Current.CancellationToken);
        }
        for (var i = 0; i < 3; i++)
        {
            using var ok = await Get("limited-reader-key-1");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var limited = await Get("limited-reader-key-1");
        var body = await limited.Problem(429);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        Assert.Equal((int)retryAfter.Value.TotalSeconds, (int)body["retryAfterSeconds"]!);

        using var other = await Get("other-reader-key-22");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        // open paths carry no key and are not limited
        using var health = await host.Http.GetAsync("/healthz", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
