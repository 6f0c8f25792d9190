using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Twin.Api.Tests.OpenApi;

/// <summary>
/// The OpenAPI document covers every mapped API endpoint (enumerated from the live endpoint data source,
/// so a new endpoint without a description fails here), with summaries, problem responses and the API-key schemes.
/// </summary>
[Collection(TwinAppCollection.Name)]
public sealed class OpenApiDocumentTests(TwinAppFixture app)
{
    private static readonly string[] ApiPrefixes = ["/api/", "/v1/", "/healthz", "/metrics"];

    [Fact]
    public async Task EveryMappedApiEndpoint_IsInTheDocument_WithASummary()
    {
        var document = await app.Http.GetJson("/openapi/v1.json");
        var paths = document["paths"]!.AsObject();
        var mapped = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Path: DocumentPath(e.RoutePattern), Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]))
            .Where(e => ApiPrefixes.Any(p => e.Path.StartsWith(p, StringComparison.Ordinal) || e.Path == p.TrimEnd('/')))
            .ToList();
        Assert.True(mapped.Count >= 15, $"only {mapped.Count} API endpoints found");
        var missing = new List<string>();
        foreach (var (path, methods) in mapped)
        {
            var item = paths.FirstOrDefault(p => p.Key.TrimEnd('/') == path).Value;
            foreach (var method in methods)
            {
                var operation = item?[method.ToLowerInvariant()];
                if (operation is null)
                {
                    missing.Add($"{method} {path}: not in the document");
                }
                else if (string.IsNullOrWhiteSpace((string?)operation["summary"]))
                {
                    missing.Add($"{method} {path}: no summary");
                }
            }
        }
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public async Task ProtectedOperations_NameTheKeySchemes_AndTheirProblems()
    {
        var document = await app.Http.GetJson("/openapi/v1.json");
        var schemes = document["components"]!["securitySchemes"]!;
        Assert.Equal("bearer", (string?)schemes["Bearer"]!["scheme"]);
        Assert.Equal("X-Api-Key", (string?)schemes["ApiKey"]!["name"]);

        var inject = document["paths"]!["/api/v1/faults"]!["post"]!;
        foreach (var status in new[] { "400", "401", "403", "413", "429" })
        {
            Assert.NotNull(inject["responses"]![status]?["content"]?["application/problem+json"]);
        }
        Assert.Contains("operator", (string?)inject["description"], StringComparison.Ordinal);
        Assert.NotEmpty(inject["security"]!.AsArray());

        var health = document["paths"]!["/healthz"]!["get"]!;
        Assert.Null(health["security"]);
        Assert.NotNull(document["paths"]!["/metrics"]?["get"]);
        Assert.NotNull(document["components"]!["schemas"]!["ProblemDetails"]);
    }

    [Fact]
    public async Task Docs_ServeTheScalarReference_OverTheDocument()
    {
        var html = await app.Http.GetStringAsync("/docs/", TestContext.Current.CancellationToken);
        Assert.Contains("AI Factory Twin API", html, StringComparison.Ordinal);
        // the reference's script is served by the twin itself: no CDN needed
        using var script = await app.Http.GetAsync("/docs/scalar.js", TestContext.Current.CancellationToken);
        Assert.True(script.IsSuccessStatusCode);
    }

    /// <summary>The document's spelling of a route: parameters as {name} (no constraints, no catch-all stars), no trailing slash.</summary>
    private static string DocumentPath(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart l => l.Content,
            RoutePatternSeparatorPart sep => sep.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            _ => "",
        }))));
}
