using System.Text;
using Twin.Api.Tests.Security;

namespace Twin.Api.Tests.Observability;

/// <summary>With OTEL_EXPORTER_OTLP_ENDPOINT set, metrics and traces reach a real OTLP/HTTP receiver.</summary>
[Collection(SecuredTwinCollection.Name)]
public sealed class OtlpExportTests(SecuredTwinFixture twin)
{
    [Fact]
    public async Task MetricsAndTraces_AreExported_ToTheConfiguredEndpoint()
    {
        using var fault = await twin.Http.SendAsync(twin.Request(HttpMethod.Post, "/api/v1/faults", SecuredTwinFixture.OperatorKey,
            new StringContent("{\"kind\":\"gpu-xid\",\"target\":\"north/gpu/h0003-1\",\"parameters\":{\"xid\":74}}", Encoding.UTF8, "application/json")),
            TestContext.Current.CancellationToken);
        Assert.Equal(201, (int)fault.StatusCode);

        var export = await twin.Otlp.WaitFor(r => r.MetricExports
            .SelectMany(e => e.ResourceMetrics)
            .FirstOrDefault(rm => rm.ScopeMetrics.Any(s => s.Scope?.Name == "Twin" && s.Metrics.Any(m => m.Name == "twin.faults.injected"))),
            TimeSpan.FromSeconds(30));
        Assert.Contains(export.Resource.Attributes, a => a.Key == "service.name" && a.Value.StringValue == "twin-secured-test");
        await twin.Otlp.WaitFor(r => r.MetricExports.SelectMany(e => e.ResourceMetrics).SelectMany(rm => rm.ScopeMetrics)
            .FirstOrDefault(s => s.Scope?.Name == "Microsoft.Orleans" && s.Metrics.Count > 0), TimeSpan.FromSeconds(30));
        await twin.Otlp.WaitFor(r => r.Received.FirstOrDefault(x => x.Path == "/v1/traces" && x.Body.Length > 0).Path, TimeSpan.FromSeconds(30));
    }
}
