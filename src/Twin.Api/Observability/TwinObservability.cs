using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Dashboard;
using Scalar.AspNetCore;
using Twin.Grains.Observability;

namespace Twin.Api.Observability;

/// <summary>
/// OpenTelemetry for the twin: the <c>Twin</c> and <c>Microsoft.Orleans</c> meters, ASP.NET Core
/// and runtime metrics, scraped at <c>/metrics</c>; traces from REST through grain calls; OTLP export of both only
/// when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the SDK reads the other <c>OTEL_*</c> settings itself).
/// Also mounts the operator UIs: API reference at <c>/docs</c>, Orleans Dashboard at <c>/orleans</c>.
/// </summary>
public static class TwinObservability
{
    /// <summary>Orleans' grain-call activity sources (<c>AddActivityPropagation</c> on the silo makes them flow).</summary>
    public static readonly string[] OrleansActivitySources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    public const string OrleansMeter = "Microsoft.Orleans";

    public static IServiceCollection AddTwinObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<TwinMetrics>();
        services.AddOptions<FactorySeriesOptions>().BindConfiguration("Twin:Metrics")
            .Validate(o => o.Refresh >= TimeSpan.FromMilliseconds(100), "Twin:Metrics:Refresh must be at least 100 ms")
            .ValidateOnStart();
        services.AddSingleton<FactorySeries>();
        services.AddHostedService(sp => sp.GetRequiredService<FactorySeries>());
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] ?? "ai-factory-twin"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(TwinMetrics.MeterName, OrleansMeter)
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            // without an exporter, spans would be built for nobody; in-process listeners (tests) still see them
            telemetry.WithTracing(tracing => tracing
                .AddSource(OrleansActivitySources)
                .AddAspNetCoreInstrumentation(o => o.Filter = c => !c.Request.Path.StartsWithSegments("/metrics"))
                .AddOtlpExporter());
        }
        return services;
    }

    /// <summary>Maps <c>/metrics</c> (Prometheus), <c>/docs</c> (Scalar over /openapi/v1.json) and <c>/orleans</c> (Orleans Dashboard).</summary>
    public static IEndpointRouteBuilder MapTwinObservability(this IEndpointRouteBuilder app, bool orleansDashboard = true)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapScalarApiReference("/docs", o => o
            .WithTitle("AI Factory Twin API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .AddDocument("v1"));
        // needs silo.AddDashboard() (TwinHost); the dashboard is a UI, not part of the documented API
        if (orleansDashboard)
        {
            app.MapOrleansDashboard("/orleans").ExcludeFromDescription();
        }
        return app;
    }
}
