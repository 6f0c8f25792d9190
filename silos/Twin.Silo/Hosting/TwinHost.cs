using Orleans.Configuration;
using Orleans.Dashboard;
using Twin.Api;
using Twin.Api.Observability;
using Twin.Contracts.Sites;
using Twin.Contracts.Streams;
using Twin.Grains.Hosting;
using Twin.Model.Topology;

namespace Twin.Silo.Hosting;

/// <summary>
/// Builds the embedded twin: one process that is an Orleans silo (localhost clustering, in-memory
/// storage and streams) and serves REST. Tests build it the same way, on free ports.
/// </summary>
public static class TwinHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var twin = builder.Configuration.GetSection("Twin");
        var options = twin.Get<TwinHostOptions>() ?? new TwinHostOptions();
        var topology = LoadTopology(options.Topology);
        if (options.Port is { } port)
        {
            builder.WebHost.UseUrls($"http://localhost:{port}");
        }

        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            silo.AddMemoryGrainStorage("PubSubStore");
            silo.AddMemoryStreams(TwinStreams.Provider);
            // a REST request's trace continues through the grain calls it makes
            silo.AddActivityPropagation();
            silo.AddDashboard();
            // Device grains mirror live hardware: keep them for an hour of silence before collecting.
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromHours(1));
        });
        // after UseOrleans so the synthetic source starts once the silo is up
        builder.Services.AddTwinGrains(topology, twin);
        builder.Services.AddTwinApi();
        builder.Services.AddTwinObservability(builder.Configuration);
        builder.Services.AddHostedService<FactoryActivation>();

        var app = builder.Build();
        app.MapTwinApi();
        app.MapTwinObservability();
        return app;
    }

    public static FactoryTopology LoadTopology(string path)
    {
        var candidates = new[] { path, Path.Combine(AppContext.BaseDirectory, path) };
        var found = candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"topology file '{path}' not found (looked in {string.Join(", ", candidates.Select(Path.GetFullPath))})", path);
        return TopologyGenerator.Load(found);
    }

    /// <summary>Activates the coordinators once the silo runs, so the factory answers at once.</summary>
    private sealed class FactoryActivation(IGrainFactory grains) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken) =>
            await grains.GetGrain<IFactoryGrain>(TwinStreams.FactoryKey).Start();

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
