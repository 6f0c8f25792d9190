using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;
using Twin.Grains.Events;
using Twin.Grains.Persistence;
using Twin.Silo.Hosting;

namespace Twin.Silo.Cluster;

/// <summary>
/// The cluster profile (<c>Twin:Mode=cluster</c>): Orleans membership, grain state and reminders in
/// PostgreSQL through the ADO.NET providers (invariant <c>Npgsql</c>), the event history in table
/// <c>twin_events</c>, silos listening on every interface and advertising <c>Twin:AdvertisedAddress</c>.
/// Streams stay in memory (no durable Orleans stream provider for PostgreSQL exists): producers write
/// the history first and deliver after, and consumers skip repeated event ids.
/// </summary>
public static class ClusterProfile
{
    public const string Invariant = "Npgsql";

    /// <summary>Membership defaults tuned for failover in seconds rather than Orleans' ~15 s (5 s probes × 3 misses).</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    public const int NumMissedProbesLimit = 3;

    /// <summary>
    /// Heartbeat to the table every 5 s (Orleans: 30 s) and call an entry stale after 2 missed (Orleans: 3):
    /// after the whole cluster died, new silos ignore the old entries after ~10 s instead of ~90 s.
    /// Cost: one small UPDATE per silo every 5 s.
    /// </summary>
    public static readonly TimeSpan IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
    public const int NumMissedTableIAmAliveLimit = 2;

    public static string ConnectionString(IConfiguration configuration, TwinHostOptions options) =>
        configuration.GetConnectionString("Twin") is { Length: > 0 } named ? named
        : options.ConnectionString is { Length: > 0 } own ? own
        : throw new InvalidOperationException("Twin:Mode=cluster needs a PostgreSQL connection string: ConnectionStrings:Twin (env ConnectionStrings__Twin) or Twin:ConnectionString");

    /// <summary>Creates the schema (idempotent, serialised across silos) before Orleans reads its tables.</summary>
    public static IReadOnlyList<int> Migrate(string connectionString)
    {
        using var db = NpgsqlDataSource.Create(connectionString);
        return PostgresSchema.Apply(db, TimeSpan.FromSeconds(60), CancellationToken.None).GetAwaiter().GetResult();
    }

    public static void Configure(ISiloBuilder silo, TwinHostOptions options, IConfiguration twinSection, string connectionString)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        silo.Configure<EndpointOptions>(o =>
        {
            o.AdvertisedIPAddress = Advertised(options.AdvertisedAddress);
            o.SiloPort = options.SiloPort;
            o.GatewayPort = options.GatewayPort;
            o.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, options.SiloPort);
            o.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, options.GatewayPort);
        });
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = ProbeTimeout;
            o.NumMissedProbesLimit = NumMissedProbesLimit;
            o.IAmAliveTablePublishTimeout = IAmAliveTablePublishTimeout;
            o.NumMissedTableIAmAliveLimit = NumMissedTableIAmAliveLimit;
        });
        // Twin:Membership:* overrides any ClusterMembershipOptions property (ProbeTimeout, NumMissedProbesLimit, ...)
        silo.Services.Configure<ClusterMembershipOptions>(twinSection.GetSection("Membership"));
        if (options.InKubernetes)
        {
            // name and address from the pod (POD_NAME, POD_IP), cluster and service ids from its orleans/* labels
            // (deploy/kubernetes keeps them equal to Twin:ClusterId and Twin:ServiceId); membership stays in PostgreSQL
            silo.UseKubernetesHosting();
        }

        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        silo.AddAdoNetGrainStorage(TwinStorage.Name, o => o.Configure<IServiceProvider>((storage, services) =>
        {
            storage.Invariant = Invariant;
            storage.ConnectionString = connectionString;
            // the twin's state types carry Orleans serializer ids: version-tolerant, no JSON contract to keep
            storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(services.GetRequiredService<Orleans.Serialization.Serializer>());
        }));
        // stream subscriptions outlive a silo too
        silo.AddAdoNetGrainStorage("PubSubStore", o => o.Configure(storage =>
        {
            storage.Invariant = Invariant;
            storage.ConnectionString = connectionString;
        }));
        silo.AddMemoryStreams(Twin.Contracts.Streams.TwinStreams.Provider);

        silo.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
    }

    /// <summary>After the grains registered their defaults, before the API: the history and the idempotency keys go to PostgreSQL.</summary>
    public static void UsePostgresStores(IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Transient<IEventStore, PostgresEventStore>());
        services.AddSingleton<Twin.Api.Resilience.IIdempotencyStore, PostgresIdempotencyStore>();
    }

    // An address, a host name (a compose service name), or nothing: the first IPv4 address of this host.
    private static IPAddress Advertised(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
                ?? IPAddress.Loopback;
        }
        return IPAddress.TryParse(address, out var ip)
            ? ip
            : Dns.GetHostAddresses(address).First(a => a.AddressFamily == AddressFamily.InterNetwork);
    }
}
