using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Twin.Api.Endpoints;
using Twin.Api.Resilience;
using Twin.Api.Security;

namespace Twin.Api;

/// <summary>Registers and maps the REST surface (docs/architecture.md, "REST").</summary>
public static class TwinApi
{
    public static IServiceCollection AddTwinApi(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
            ctx.ProblemDetails.Extensions.TryAdd("traceId", ctx.HttpContext.TraceIdentifier));
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            o.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, TwinJsonContext.Default);
        });
        // binding failures throw, so the handler below can say which parameter was wrong
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<Problems.BadRequestExceptionHandler>();
        services.AddOptions<Ingestion.IngestOptions>().BindConfiguration("Twin:Ingest")
            .Validate(o => o.MaxBodyBytes > 0 && o.MaxConcurrentBatches > 0 && o.DevicesPerWorkerCall > 0 && o.ChunksInFlight > 0, "Twin:Ingest limits must be positive")
            .ValidateOnStart();
        services.AddOptions<Telemetry.Mapping.TelemetryMappingOptions>().BindConfiguration("Twin:Mapping");
        services.AddSingleton<Telemetry.Discovery.DiscoveredHosts>();
        services.AddSingleton<Inventory.InventoryService>();
        services.AddSingleton(sp => new Telemetry.TelemetryMapper(
            sp.GetRequiredService<Model.Topology.FactoryTopology>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Telemetry.Mapping.TelemetryMappingOptions>>().Value)
        {
            Discovered = sp.GetRequiredService<Telemetry.Discovery.DiscoveredHosts>(),
        });
        services.AddSingleton<Ingestion.TelemetryIngestion>();
        services.AddSingleton<Rewind.FactoryRewind>();
        services.AddSingleton<Security.TenantScope>();
        services.AddOptions<Ingestion.ScrapeOptions>().BindConfiguration("Twin:Scrape")
            .Validate(o => o.Targets.All(t => Uri.TryCreate(t.Url, UriKind.Absolute, out var u) && (u.Scheme == "http" || u.Scheme == "https")),
                "every Twin:Scrape:Targets entry needs an absolute http(s) Url")
            .Validate(o => o.Targets.All(t => t.Interval >= TimeSpan.FromMilliseconds(100) && t.Timeout > TimeSpan.Zero),
                "scrape Interval must be at least 100 ms and Timeout positive")
            .ValidateOnStart();
        services.AddHttpClient(nameof(Ingestion.PrometheusScraper));
        services.AddSingleton<Ingestion.PrometheusScraper>();
        services.AddHostedService(sp => sp.GetRequiredService<Ingestion.PrometheusScraper>());
        services.AddOpenApi("v1", OpenApi.TwinOpenApi.Configure);
        services.AddTwinSecurity();
        services.AddTwinResilience();
        return services;
    }

    public static WebApplication MapTwinApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseTwinSecurity();
        app.UseTwinResilience();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapFactory();
        app.MapDevices();
        app.MapFaults();
        app.MapEvents();
        app.MapTelemetry();
        app.MapInventory();
        app.MapPlans();
        app.MapJobs();
        app.MapInference();
        app.MapForecasts();
        app.MapSecurity();
        app.MapScenarios();
        app.MapDashboard();
        return app;
    }
}
