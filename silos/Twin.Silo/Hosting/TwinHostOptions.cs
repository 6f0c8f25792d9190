namespace Twin.Silo.Hosting;

/// <summary>How this process runs (<c>Twin</c> section): topology, ports, profile.</summary>
public sealed class TwinHostOptions
{
    /// <summary>Topology file; relative paths are tried against the working directory, then the install directory.</summary>
    public string Topology { get; set; } = "scenarios/topologies/demo.yaml";

    /// <summary>HTTP port on localhost; when unset, ASP.NET Core's own settings (ASPNETCORE_URLS, --urls) apply, else 5000.</summary>
    public int? Port { get; set; }

    /// <summary>Orleans silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans client gateway port.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary><c>embedded</c> (one process, everything in memory) or <c>cluster</c> (PostgreSQL; see README "Cluster profile").</summary>
    public string Mode { get; set; } = "embedded";

    /// <summary>Cluster profile: PostgreSQL connection string when <c>ConnectionStrings:Twin</c> is not set.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Cluster profile: the address other silos reach this one at (IP or host name); default the host's first IPv4 address.</summary>
    public string? AdvertisedAddress { get; set; }

    public bool IsCluster => string.Equals(Mode, "cluster", StringComparison.OrdinalIgnoreCase);

    public string ClusterId { get; set; } = "twin";

    public string ServiceId { get; set; } = "ai-factory-twin";

    /// <summary>
    /// Cluster profile inside Kubernetes: the pod's name and IP become the silo's name and address, and silos watch the
    /// pods so a deleted or crashed pod leaves the membership at once instead of after missed probes. Unset: on when
    /// the process runs in a pod (<c>KUBERNETES_SERVICE_HOST</c> is set).
    /// </summary>
    public bool? Kubernetes { get; set; }

    public bool InKubernetes => Kubernetes ?? Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is { Length: > 0 };

    /// <summary>
    /// The Orleans Dashboard at <c>/orleans</c>. Off unless asked for: it wraps every grain call in a timing filter,
    /// which cost a third of ingest throughput on two cores; <c>/metrics</c> carries Orleans' own meters without it.
    /// </summary>
    public bool OrleansDashboard { get; set; }

    /// <summary>
    /// Grain calls continue the trace of the REST request that made them (Orleans activity propagation). Unset: on
    /// when traces are exported (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set), else off: its call filters allocate about
    /// 470 bytes per grain call (a third of what the ingest path allocates per device), for spans nobody would receive.
    /// </summary>
    public bool? TraceGrainCalls { get; set; }
}
