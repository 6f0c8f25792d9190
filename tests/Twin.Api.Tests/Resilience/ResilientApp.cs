using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Twin.Api.Resilience;
using Twin.Silo.Hosting;

namespace Twin.Api.Tests.Resilience;

/// <summary>A bare ASP.NET Core app on loopback with the twin's exception handling and resilience middleware, and endpoints a test maps.</summary>
public sealed class ResilientApp : IAsyncDisposable
{
    private ResilientApp(WebApplication app)
    {
        App = app;
        Http = new HttpClient { BaseAddress = app.BoundAddress() };
    }

    public WebApplication App { get; }

    public HttpClient Http { get; }

    public static async Task<ResilientApp> Start(Action<WebApplication> map, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddProblemDetails();
        builder.Services.AddTwinResilience();
        builder.Services.Configure<ResilienceOptions>(o => o.ReadRetryDelay = TimeSpan.FromMilliseconds(10));
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseRouting();
        app.UseTwinResilience();
        map(app);
        await app.StartAsync(cancellationToken);
        return new ResilientApp(app);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
