using Orleans.Configuration;
using Orleans.Dashboard;
using Twin.Api;
using Twin.Api.Observability;
using Twin.Contracts.Sites;
using Twin.Contracts.Streams;
using Twin.Grains.Hosting;
using Twin.Grains.Persistence;
using Twin.Silo.Cluster;
using Twin.Model.Topology;

namespace Twin.Silo.Hosting;

/// <summary>
/// Builds the twin: one process that is an Orleans silo and serves REST. Embedded by default (localhost
/// clustering, in-memory storage and streams); <c>Twin:Mode=cluster</c> joins a PostgreSQL-backed
/// cluster (<see cref="ClusterProfile"/>). Tests build it the same way, on free ports.
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

        if (options.Mode is not ("embedded" or "cluster"))
        {
            throw new InvalidOperationException($"Twin:Mode must be 'embedded' or 'cluster', not '{options.Mode}'");
        }
        var connectionString = options.IsCluster ? ClusterProfile.ConnectionString(builder.Configuration, options) : null;
        var migrated = connectionString is null ? [] : ClusterProfile.Migrate(connectionString);

        builder.UseOrleans(silo =>
        {
            if (connectionString is not null)
            {
                ClusterProfile.Configure(silo, options, twin, connectionString);
            }
            else
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
                silo.AddMemoryGrainStorage("PubSubStore");
                silo.AddMemoryGrainStorage(TwinStorage.Name);
                silo.AddMemoryStreams(TwinStreams.Provider);
            }
            // a REST request's trace continues through the grain calls it makes, when someone receives traces
            if (options.TraceGrainCalls ?? !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            {
                silo.AddActivityPropagation();
            }
            if (options.OrleansDashboard)
            {
                silo.AddDashboard();
            }
            // Device grains mirror live hardware: keep them for an hour of silence before collecting.
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromHours(1));
        });
        // after UseOrleans so the synthetic source starts once the silo is up
        builder.Services.AddTwinGrains(topology, twin);
        if (connectionString is not null)
        {
            ClusterProfile.UsePostgresStores(builder.Services);
        }
        builder.Services.AddTwinApi();
        builder.Services.AddTwinObservability(builder.Configuration);
        builder.Services.AddHostedService<FactoryActivation>();

        var app = builder.Build();
        app.MapTwinApi();
        app.MapTwinObservability(options.OrleansDashboard);
        if (options.IsCluster)
        {
            var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Twin.Silo.Cluster");
            ClusterLog.Profile(log, options.ClusterId, options.SiloPort, options.GatewayPort,
                migrated.Count == 0 ? "current" : "applied " + string.Join(", ", migrated));
        }
        return app;
    }

    /// <summary>
    /// Arguments for an in-process twin on loopback (scenario runs, tests, benchmarks): Kestrel and Orleans on
    /// free ports, synthetic telemetry off, quiet logs; <paramref name="extra"/> comes last and wins.
    /// </summary>
    public static string[] LoopbackArgs(string topologyPath, params string[] extra) =>
    [
        "--urls", "http://127.0.0.1:0",
        $"--Twin:Topology={topologyPath}",
        $"--Twin:SiloPort={LoopbackPort.Free()}",
        $"--Twin:GatewayPort={LoopbackPort.Free()}",
        "--Twin:Synthetic:Enabled=false",
        "--Logging:LogLevel:Default=Warning",
        .. extra,
    ];

    /// <summary>The address Kestrel bound, once the app has started.</summary>
    public static Uri BoundAddress(this WebApplication app) =>
        new(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());

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
