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

    public string ClusterId { get; set; } = "twin";

    public string ServiceId { get; set; } = "ai-factory-twin";
}
