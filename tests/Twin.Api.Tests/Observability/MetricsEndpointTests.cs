using System.Text;

namespace Twin.Api.Tests.Observability;

/// <summary>
/// <c>/metrics</c> serves the Twin meter, Orleans' meter and ASP.NET Core's, in Prometheus text. It runs on a host of
/// its own: OpenTelemetry follows meters by name across the process, and another test host's disposal would end
/// the shared series this test reads.
/// </summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task AfterTrafficAndAFault_MetricsHasTwinOrleansAndHttpSeries()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await Security.TwinTestHost.Start([]);
        using (var telemetry = await app.Http.PostAsync("/api/v1/telemetry",
            new StringContent("{\"samples\":[{\"device\":\"east/gpu/h0031-2\",\"metrics\":{\"temperature_c\":51,\"bogus_metric\":1}},{\"device\":\"nowhere/gpu/x\",\"metrics\":{\"temperature_c\":1}}]}", Encoding.UTF8, "application/json"), ct))
        {
            Assert.True(telemetry.IsSuccessStatusCode);
        }
        using (var fault = await app.Http.PostJson("/api/v1/faults", new { kind = "gpu-xid", target = "west/gpu/h0031-2", parameters = new { xid = 63 } }))
        {
            Assert.Equal(201, (int)fault.StatusCode);
        }

        using var sse = await app.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/events/stream"), HttpCompletionOption.ResponseHeadersRead, ct);
        string text = "";
        string[] expected =
        [
            "twin_ingest_samples_accepted_total{",
            "format=\"json\"",
            "twin_faults_injected_total{",
            "kind=\"gpu-xid\"",
            "twin_sse_clients{",
            "orleans_",
            "http_server_request_duration_seconds_bucket{",
        ];
        // the exporter caches a scrape for a moment: poll until every series is there
        for (var attempt = 0; attempt < 50 && !expected.All(text.Contains); attempt++)
        {
            await Task.Delay(200, ct);
            text = await app.Http.GetStringAsync("/metrics", ct);
        }
        foreach (var series in expected)
        {
            Assert.Contains(series, text, StringComparison.Ordinal);
        }
    }
}
