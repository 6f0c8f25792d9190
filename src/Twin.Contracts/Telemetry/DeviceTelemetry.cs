namespace Twin.Contracts.Telemetry;

/// <summary>Readings for one device at one event time: what a grain gets from one batch (one call per device per batch).</summary>
[GenerateSerializer, Immutable, Alias("twin.device-telemetry")]
public sealed record DeviceTelemetry(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] DateTimeOffset Time,
    [property: Id(2)] MetricValue[] Values);
