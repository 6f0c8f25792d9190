using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Twin.Silo.Hosting;

namespace Twin.Api.Tests.Security;

/// <summary>A twin host on loopback with extra settings, for fixtures and tests that need their own configuration.</summary>
public sealed class TwinTestHost : IAsyncDisposable
{
    private TwinTestHost(WebApplication app, HttpClient http)
    {
        App = app;
        Http = http;
    }

    public WebApplication App { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>The arguments every test host shares: demo topology, free Orleans ports, no synthetic telemetry.</summary>
    public static List<string> BaseArgs(string urls = "http://127.0.0.1:0") =>
        [.. TwinHost.LoopbackArgs(TwinAppFixture.RepoFile("scenarios/topologies/demo.yaml"), "--urls", urls)];

    public static async Task<TwinTestHost> Start(IEnumerable<string> extra)
    {
        var app = TwinHost.Build([.. BaseArgs(), .. extra]);
        try
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var address = app.BoundAddress();
        return new TwinTestHost(app, new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) });
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
