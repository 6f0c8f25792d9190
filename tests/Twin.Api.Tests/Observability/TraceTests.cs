using System.Collections.Concurrent;
using System.Diagnostics;
using Twin.Api.Tests.Security;

namespace Twin.Api.Tests.Observability;

/// <summary>
/// A REST request's trace continues into the grain calls it makes (Orleans activity propagation) when grain-call
/// tracing is on, and by default only where traces are exported.
/// </summary>
public sealed class TraceTests
{
    [Fact]
    public async Task WithGrainCallTracing_ARestRequest_AndItsGrainCalls_ShareOneTrace()
    {
        await using var twin = await TwinTestHost.Start(["--Twin:TraceGrainCalls=true"]);
        var seen = await SpansOfOneRequest(twin, expectOrleans: true);
        Assert.Contains(seen, s => s.Source == "Microsoft.AspNetCore");
        Assert.Contains(seen, s => s.Source.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.Name.Contains("SiteCoordinator", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ByDefault_WithoutAnOtlpEndpoint_GrainCallsMakeNoSpans()
    {
        Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")), "this test needs no OTLP endpoint set");
        await using var twin = await TwinTestHost.Start([]);
        var seen = await SpansOfOneRequest(twin, expectOrleans: false);
        Assert.Contains(seen, s => s.Source == "Microsoft.AspNetCore");
        Assert.DoesNotContain(seen, s => s.Source.StartsWith("Microsoft.Orleans", StringComparison.Ordinal));
    }

    private static async Task<List<(string Source, string Name)>> SpansOfOneRequest(TwinTestHost twin, bool expectOrleans)
    {
        var traceId = ActivityTraceId.CreateRandom();
        var seen = new ConcurrentBag<(string Source, string Name)>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Microsoft.AspNetCore" || s.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.TraceId == traceId)
                {
                    seen.Add((a.Source.Name, a.DisplayName));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        // the caller's traceparent fixes the trace id, so this test finds its own spans among other tests'
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/sites/west");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await twin.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode);

        // the ASP.NET Core span stops after the response is written: wait for it (and, when expected, for Orleans')
        for (var i = 0; i < 50 && !(seen.Any(s => s.Source == "Microsoft.AspNetCore")
            && (!expectOrleans || seen.Any(s => s.Source.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)))); i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        return [.. seen];
    }
}
