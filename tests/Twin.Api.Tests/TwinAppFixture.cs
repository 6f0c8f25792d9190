using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Twin.Model.Topology;
using Twin.Silo.Hosting;

namespace Twin.Api.Tests;

/// <summary>
/// The real twin host (the same builder <c>dotnet run</c> uses) on loopback: Kestrel on a free port,
/// Orleans on free silo/gateway ports, demo topology, synthetic telemetry off so tests control state.
/// </summary>
public sealed class TwinAppFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public HttpClient Http { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public IGrainFactory Grains => _app!.Services.GetRequiredService<IGrainFactory>();

    public FactoryTopology Topology => _app!.Services.GetRequiredService<FactoryTopology>();

    public Uri BaseAddress { get; private set; } = null!;

    public static string RepoFile(string relative) => Twin.Tests.Shared.RepoPaths.File(relative);

    public static int FreePort() => LoopbackPort.Free();

    public async ValueTask InitializeAsync()
    {
        _app = TwinHost.Build(TwinHost.LoopbackArgs(RepoFile("scenarios/topologies/demo.yaml")));
        await _app.StartAsync();
        BaseAddress = _app.BoundAddress();
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TwinAppCollection : ICollectionFixture<TwinAppFixture>
{
    public const string Name = "twin-app";
}
