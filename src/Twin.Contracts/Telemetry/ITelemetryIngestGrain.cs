namespace Twin.Contracts.Telemetry;

/// <summary>
/// Fan-out worker (GPSTracker's pattern): takes a chunk of a batch and makes one call per device,
/// concurrently. Stateless, so Orleans runs as many as there are cores.
/// </summary>
[Alias("twin.telemetry-ingest")]
public interface ITelemetryIngestGrain : IGrainWithIntegerKey
{
    /// <summary>Applies each device's readings; returns the number of readings applied.</summary>
    ValueTask<int> Ingest(DeviceTelemetry[] devices);
}
