using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Twin.Cluster.Tests;

/// <summary>The REST calls the cluster tests make, in the API's JSON (camelCase).</summary>
public static class Rest
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A fault with XID 79 (the GPU fell off the bus: failed); the id on 201, null otherwise.</summary>
    public static async Task<string?> InjectFault(HttpClient http, string kind, string target)
    {
        using var response = await http.PostAsync("/api/v1/faults",
            new StringContent($$$"""{"kind":"{{{kind}}}","target":"{{{target}}}","parameters":{"xid":79}}""", Encoding.UTF8, "application/json"), Ct);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            return null;
        }
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return body.RootElement.GetProperty("id").GetString();
    }

    public static async Task<bool> PostTelemetry(HttpClient http, IEnumerable<(string Device, DateTimeOffset Time, double TemperatureC)> samples)
    {
        var body = new
        {
            samples = samples.Select(s => new { device = s.Device, time = s.Time, metrics = new Dictionary<string, double> { ["temperature_c"] = s.TemperatureC } }),
        };
        using var response = await http.PostAsJsonAsync("/api/v1/telemetry", body, Ct);
        return response.IsSuccessStatusCode;
    }

    public static async Task<List<(string Id, bool Active)>> Faults(HttpClient http)
    {
        using var body = JsonDocument.Parse(await http.GetStringAsync("/api/v1/faults", Ct));
        return body.RootElement.GetProperty("items").EnumerateArray()
            .Select(f => (f.GetProperty("id").GetString()!, f.GetProperty("active").GetBoolean()))
            .ToList();
    }

    public static async Task<string> Health(HttpClient http, string deviceId)
    {
        using var body = JsonDocument.Parse(await http.GetStringAsync("/api/v1/devices/" + Uri.EscapeDataString(deviceId), Ct));
        return body.RootElement.GetProperty("health").GetString()!;
    }

    /// <summary>The whole history, page by page: (sequence, id, kind) in order.</summary>
    public static async Task<List<(long Seq, string Id, string Kind)>> Events(HttpClient http)
    {
        var all = new List<(long, string, string)>();
        long since = 0;
        while (true)
        {
            using var body = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/events?since={since}&limit=1000", Ct));
            var items = body.RootElement.GetProperty("items").EnumerateArray().ToList();
            all.AddRange(items.Select(e => (e.GetProperty("sequence").GetInt64(), e.GetProperty("id").GetString()!, e.GetProperty("kind").GetString()!)));
            var next = body.RootElement.GetProperty("next").GetInt64();
            if (items.Count == 0 || next <= since)
            {
                return all;
            }
            since = next;
        }
    }
}
