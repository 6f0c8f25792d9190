using Twin.Model.Devices;
using Twin.Model.Telemetry;
using Twin.Model.Topology;
using Twin.Telemetry.Mapping;

namespace Twin.Telemetry;

/// <summary>
/// The shared, read-only half of ingestion: options, the metric name table and the device resolver built from
/// the topology. Create one per topology (a singleton in the host) and hand it to the format readers; each
/// request then gets its own <see cref="TelemetryBatchBuilder"/>.
/// </summary>
public sealed class TelemetryMapper
{
    private readonly Lock _rebuild = new();
    private volatile DeviceResolver _devices;
    private long _version;

    public TelemetryMapper(FactoryTopology topology, TelemetryMappingOptions? options = null)
    {
        foreach (var kind in Enum.GetValues<DeviceKind>())
        {
            // the batch builder tracks a device's filled slots in one 64-bit mask
            if (MetricCatalog.Layout(kind).Length > 64)
            {
                throw new InvalidOperationException($"the {kind.Name()} layout has more than 64 metrics");
            }
        }
        Topology = topology;
        Options = options ?? new TelemetryMappingOptions();
        Names = new MetricNameMap(Options.ExtraMetricNames);
        _devices = new DeviceResolver(topology, Options);
        _version = topology.Version;
        Labels = new LabelNames(Options);
    }

    public FactoryTopology Topology { get; }

    public TelemetryMappingOptions Options { get; }

    public MetricNameMap Names { get; }

    /// <summary>The resolver for the topology's current version (rebuilt once after an inventory change).</summary>
    public DeviceResolver Devices
    {
        get
        {
            if (Topology.Version != Volatile.Read(ref _version))
            {
                lock (_rebuild)
                {
                    var version = Topology.Version;
                    if (version != _version)
                    {
                        _devices = new DeviceResolver(Topology, Options);
                        Volatile.Write(ref _version, version);
                    }
                }
            }
            return _devices;
        }
    }

    /// <summary>Hosts whose telemetry named no inventory device; null when discovery is off (tests, benchmarks).</summary>
    public Discovery.DiscoveredHosts? Discovered { get; init; }

    /// <summary>Label names as UTF-8, matched against Prometheus label spans without transcoding.</summary>
    internal LabelNames Labels { get; }

    /// <summary>A fresh per-request batch.</summary>
    public TelemetryBatchBuilder CreateBatch(DateTimeOffset now) => new(Options, now);

    internal sealed class LabelNames(TelemetryMappingOptions options)
    {
        public byte[] Device { get; } = Utf8(options.DeviceLabel);

        public byte[][] Hosts { get; } = options.HostLabels.Select(Utf8).ToArray();

        public byte[] Gpu { get; } = Utf8(options.GpuLabel);

        public byte[] Nic { get; } = Utf8(options.NicDeviceLabel);

        public byte[] HwId { get; } = Utf8(options.HwIdAttribute);

        public byte[] HwType { get; } = Utf8(options.HwTypeAttribute);

        public byte[] Uuid { get; } = Utf8(options.UuidLabel);

        public byte[] Model { get; } = Utf8(options.ModelLabel);

        private static byte[] Utf8(string s) => System.Text.Encoding.UTF8.GetBytes(s);
    }
}
