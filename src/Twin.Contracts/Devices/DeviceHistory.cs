namespace Twin.Contracts.Devices;

/// <summary>Recent points of a device's metrics, oldest first, from its bounded per-metric history.</summary>
[GenerateSerializer, Immutable, Alias("twin.device-history")]
public sealed record DeviceHistory(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] IReadOnlyDictionary<string, IReadOnlyList<HistoryPoint>> Series,
    [property: Id(2)] int Capacity,
    [property: Id(3)] TimeSpan Resolution);

[GenerateSerializer, Immutable, Alias("twin.history-point")]
public readonly record struct HistoryPoint([property: Id(0)] DateTimeOffset Time, [property: Id(1)] double Value);
