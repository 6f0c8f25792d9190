using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Twin.Api.Tests.Security;

/// <summary>
/// Every mapped endpoint × every role, enumerated from the live endpoint data source so an endpoint added
/// later is in the matrix without editing this file. The expectation is the issue's rule, restated here.
/// </summary>
[Collection(SecuredTwinCollection.Name)]
public sealed class RoleMatrixTests(SecuredTwinFixture twin)
{
    private static readonly string[] Roles = ["reader", "operator", "ingest", "admin"];

    /// <summary>The issue's table: reader GETs; operator changes outside telemetry (and reads); ingest posts telemetry (also Pushgateway-style); admin all.</summary>
    private static string[]? AllowedRoles(string method, string path)
    {
        string[] protectedPrefixes = ["/api/", "/v1/", "/metrics", "/orleans"];
        if (!protectedPrefixes.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
        {
            return null; // open
        }
        var read = method is "GET" or "HEAD";
        if (path.StartsWith("/orleans", StringComparison.OrdinalIgnoreCase))
        {
            return read ? ["reader", "operator", "admin"] : ["admin"];
        }
        if (read)
        {
            return ["reader", "operator", "admin"];
        }
        return path.StartsWith("/api/v1/telemetry", StringComparison.Ordinal) || path == "/api/v1/write" || path.StartsWith("/v1/", StringComparison.Ordinal)
            || path.StartsWith("/metrics/job/", StringComparison.Ordinal) // Pushgateway-style pushes are telemetry
            ? ["ingest", "admin"]
            : ["operator", "admin"];
    }

    public static IEnumerable<(string Method, string Path, string Pattern)> Endpoints(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, SampleUrl(e.RoutePattern), e.RoutePattern.RawText ?? "")))
            .Where(e => e.m != "OPTIONS")
            .Distinct();

    [Fact]
    public async Task EveryEndpoint_AnswersEachRole_ByTheConvention()
    {
        var endpoints = Endpoints(twin.Host.Services).ToList();
        Assert.Contains(endpoints, e => e.Path == "/api/v1/faults" && e.Method == "POST");
        Assert.Contains(endpoints, e => e.Path == "/metrics");
        Assert.Contains(endpoints, e => e.Path.StartsWith("/orleans", StringComparison.Ordinal));
        var wrong = new List<string>();
        foreach (var (method, path, pattern) in endpoints)
        {
            var allowed = AllowedRoles(method, path);
            var anonymous = await Status(method, path, null);
            if (allowed is null)
            {
                if (anonymous is 401 or 403)
                {
                    wrong.Add($"{method} {pattern}: open path answered {anonymous} without a key");
                }
                continue;
            }
            if (anonymous != 401)
            {
                wrong.Add($"{method} {pattern}: no key → {anonymous}, expected 401");
            }
            var unknown = await Status(method, path, "not-a-key-of-this-twin");
            if (unknown != 401)
            {
                wrong.Add($"{method} {pattern}: unknown key → {unknown}, expected 401");
            }
            foreach (var role in Roles)
            {
                var status = await Status(method, path, SecuredTwinFixture.KeysByRole[role]);
                var expectAllowed = allowed.Contains(role);
                if (expectAllowed ? status is 401 or 403 : status != 403)
                {
                    wrong.Add($"{method} {pattern} as {role}: {status}, expected {(expectAllowed ? "allowed" : "403")}");
                }
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task Unauthorized_IsAProblem_WithWwwAuthenticate()
    {
        using var none = await twin.Http.SendAsync(twin.Request(HttpMethod.Get, "/api/v1/sites"), TestContext.Current.CancellationToken);
        var body = await none.Problem(401);
        Assert.Contains(none.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.False(string.IsNullOrEmpty((string?)body["traceId"]));

        using var unknown = await twin.Http.SendAsync(twin.Request(HttpMethod.Get, "/api/v1/sites", "wrong-key-that-is-secret"), TestContext.Current.CancellationToken);
        var unknownBody = await unknown.Problem(401);
        Assert.Contains("invalid_token", unknown.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        // the key is never echoed
        Assert.DoesNotContain("wrong-key-that-is-secret", unknownBody.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forbidden_IsAProblem_NamingTheRoleNeeded()
    {
        using var response = await twin.Http.SendAsync(
            twin.Request(HttpMethod.Post, "/api/v1/faults", SecuredTwinFixture.ReaderKey, Body("{\"kind\":\"gpu-xid\",\"target\":\"east/gpu/h0001-0\"}")),
            TestContext.Current.CancellationToken);
        var body = await response.Problem(403);
        Assert.Equal("operator", (string?)body["requiredRole"]);
        Assert.DoesNotContain(SecuredTwinFixture.ReaderKey, body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task XApiKeyHeader_AndAKeyGivenBySha256_AreAccepted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/sites");
        request.Headers.Add("X-Api-Key", SecuredTwinFixture.TenantReaderKey);
        using var response = await twin.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task BasicAuth_WithTheKeyAsPassword_OpensTheOrleansDashboard_ForBrowsers()
    {
        using var challenge = await twin.Http.GetAsync("/orleans/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        Assert.Contains(challenge.Headers.WwwAuthenticate, h => h.Scheme == "Basic");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/orleans/");
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:" + SecuredTwinFixture.ReaderKey)));
        using var response = await twin.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OpenPaths_AnswerWithoutAKey()
    {
        foreach (var path in new[] { "/healthz", "/openapi/v1.json", "/docs/" })
        {
            using var response = await twin.Http.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}");
        }
    }

    private async Task<int> Status(string method, string path, string? key)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        var content = method is "GET" or "HEAD" or "DELETE" ? null : Body("{}");
        using var request = twin.Request(new HttpMethod(method), path, key, content);
        // streams (SSE, the dashboard's log feed) never end: the status line is all this needs
        using var response = await twin.NoRedirect.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        return (int)response.StatusCode;
    }

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A concrete URL for a route pattern: literals as they are, parameters with a plausible value.</summary>
    public static string SampleUrl(RoutePattern pattern)
    {
        var segments = pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter => parameter.Name switch
            {
                "site" => "east",
                "documentName" => "v1",
                "id" => "no-such-id",
                _ => "x",
            },
            _ => "",
        })));
        return "/" + string.Join('/', segments);
    }
}
