namespace Twin.Contracts.Telemetry;

/// <summary>
/// Fan-out worker (GPSTracker's pattern): takes a chunk of a batch and makes one call per device,
/// concurrently. Stateless, so Orleans runs as many as there are cores.
/// </summary>
[Alias("twin.telemetry-ingest")]
public interface ITelemetryIngestGrain : IGrainWithIntegerKey
{
    /// <summary>The one key callers use: Orleans keeps up to a worker per core for it.</summary>
    public const long Key = 0;

    /// <summary>Applies each device's readings; returns how many readings went to known devices (stale ones are then skipped by the device).</summary>
    ValueTask<int> Ingest(DeviceTelemetry[] devices);
}
