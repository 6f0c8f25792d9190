using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Twin.Model.Topology;
using Twin.Silo.Hosting;

namespace Twin.Bench;

/// <summary>The real twin, in this process, on loopback ports of its own, with synthetic telemetry off.</summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BenchHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
    }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public FactoryTopology Topology => _app.Services.GetRequiredService<FactoryTopology>();

    public IServiceProvider Services => _app.Services;

    public static async Task<BenchHost> Start(string topologyPath, params string[] extra)
    {
        var app = TwinHost.Build(TwinHost.LoopbackArgs(topologyPath,
        [
            "--Twin:Ingest:MaxBodyBytes=268435456",
            "--Twin:OrleansDashboard=false", // it times every grain call
            .. extra,
        ]));
        // a bare endpoint: the baseline for REST figures (same server, no grain call)
        app.MapGet("/bench/ping", () => "pong");
        await app.StartAsync();
        return new BenchHost(app, app.BoundAddress());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
