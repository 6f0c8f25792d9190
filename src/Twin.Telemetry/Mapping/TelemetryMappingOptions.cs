namespace Twin.Telemetry.Mapping;

/// <summary>
/// How telemetry labels/attributes map onto twin device ids, and which samples are too odd to keep.
/// Bound from configuration section <c>Telemetry</c>; every default below matches what dcgm-exporter,
/// node_exporter and OpenTelemetry hardware semantic conventions send out of the box.
/// </summary>
public sealed class TelemetryMappingOptions
{
    /// <summary>Label holding a full twin id (<c>east/gpu/h0001-3</c>). Default <c>device</c>; values that are not twin ids
    /// (dcgm-exporter's <c>nvidia3</c>, node_exporter's <c>mlx5_3</c>) fall through to the next rules.</summary>
    public string DeviceLabel { get; set; } = "device";

    /// <summary>Labels that may hold the reporting host's name (<c>east-h0012</c>), tried in order.
    /// Default: <c>Hostname</c> (dcgm-exporter), <c>host.name</c> (OTel resource), <c>instance</c> (Prometheus target,
    /// <c>:port</c> stripped), <c>hostname</c>, <c>host</c>, <c>node</c>.</summary>
    public List<string> HostLabels { get; set; } = ["Hostname", "host.name", "instance", "hostname", "host", "node"];

    /// <summary>Label with the GPU index within its host. Default <c>gpu</c> (dcgm-exporter).</summary>
    public string GpuLabel { get; set; } = "gpu";

    /// <summary>Label with the GPU UUID, matched against the inventory's GPU UUIDs. Default <c>UUID</c> (dcgm-exporter).</summary>
    public string UuidLabel { get; set; } = "UUID";

    /// <summary>Label with the GPU model, recorded for discovered hosts. Default <c>modelName</c> (dcgm-exporter).</summary>
    public string ModelLabel { get; set; } = "modelName";

    /// <summary>Label naming the InfiniBand/Ethernet adapter on node_exporter series. Default <c>device</c> (<c>mlx5_3</c>).</summary>
    public string NicDeviceLabel { get; set; } = "device";

    /// <summary>OpenTelemetry hardware id attribute: a twin id, or an index/name within <see cref="HwTypeAttribute"/> on the host.</summary>
    public string HwIdAttribute { get; set; } = "hw.id";

    /// <summary>OpenTelemetry hardware type attribute (<c>gpu</c>, <c>network</c>).</summary>
    public string HwTypeAttribute { get; set; } = "hw.type";

    /// <summary>
    /// Adapter name → GPU index whose NIC it is (rail-optimised hosts pair NIC i with GPU i). Empty by default,
    /// which means "the trailing number of the adapter name": <c>mlx5_3</c> → GPU 3. Fill it on hosts whose
    /// storage/management adapters shift the numbering.
    /// </summary>
    public Dictionary<string, int> NicToGpu { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Extra source names → canonical metric names (scale 1), added to the built-in table.</summary>
    public Dictionary<string, string> ExtraMetricNames { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Samples stamped further than this ahead of the server clock are refused (clock skew). Default 5 min.</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Samples older than this are refused (late replays would rewind live state). Default 1 h; null keeps everything.</summary>
    public TimeSpan? MaxAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Largest body accepted after gzip decompression. Default 256 MiB.</summary>
    public long MaxDecompressedBytes { get; set; } = 256L * 1024 * 1024;
}
