using System.Collections.Concurrent;
using System.Diagnostics;

namespace Twin.Api.Tests.Observability;

/// <summary>A REST request's trace continues into the grain calls it makes (Orleans activity propagation).</summary>
[Collection(TwinAppCollection.Name)]
public sealed class TraceTests(TwinAppFixture app)
{
    [Fact]
    public async Task ARestRequest_AndItsGrainCalls_ShareOneTrace()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var seen = new ConcurrentBag<(string Source, string Name, ActivitySpanId Parent)>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Microsoft.AspNetCore" || s.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.TraceId == traceId)
                {
                    seen.Add((a.Source.Name, a.DisplayName, a.ParentSpanId));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        // the caller's traceparent fixes the trace id, so this test finds its own spans among other tests'
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/sites/west");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await app.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode);

        for (var i = 0; i < 50 && !(seen.Any(s => s.Source == "Microsoft.AspNetCore") && seen.Any(s => s.Source.StartsWith("Microsoft.Orleans", StringComparison.Ordinal))); i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        Assert.Contains(seen, s => s.Source == "Microsoft.AspNetCore");
        Assert.Contains(seen, s => s.Source.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.Name.Contains("SiteCoordinator", StringComparison.OrdinalIgnoreCase));
    }
}
