using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Twin.Api.Tests;

/// <summary>Reads response bodies as JSON trees, so tests assert on the wire format clients see.</summary>
public static class Json
{
    public static async Task<JsonNode> Body(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))
        ?? throw new InvalidOperationException("empty body");

    public static async Task<JsonNode> GetJson(this HttpClient http, string url)
    {
        using var response = await http.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        return await response.Body();
    }

    /// <summary>Asserts an RFC 7807 body with the given status; returns it.</summary>
    public static async Task<JsonNode> Problem(this HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Body();
        Assert.Equal(status, (int)body["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)body["title"]));
        return body;
    }

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static Task<HttpResponseMessage> PostJson(this HttpClient http, string url, object body) =>
        http.PostAsJsonAsync(url, body, Options, TestContext.Current.CancellationToken);
}
