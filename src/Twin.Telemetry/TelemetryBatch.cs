using Twin.Contracts.Telemetry;

namespace Twin.Telemetry;

/// <summary>
/// The outcome of reading one body: one <see cref="DeviceTelemetry"/> per device (so ingestion makes one
/// grain call per device) and the report the API returns (accepted, rejected, unknown devices, skipped, errors).
/// </summary>
public sealed record TelemetryBatch(DeviceTelemetry[] Devices, IngestReport Report)
{
    /// <summary>Hosts the inventory does not know that this body came from (recorded in discovery).</summary>
    public IReadOnlyList<string> DiscoveredHosts { get; init; } = [];
}
