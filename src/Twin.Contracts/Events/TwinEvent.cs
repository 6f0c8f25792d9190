using Twin.Model.Devices;

namespace Twin.Contracts.Events;

/// <summary>
/// One entry of the factory's event history. <see cref="Sequence"/> is assigned by the event log
/// (monotonic per factory); <see cref="Time"/> is event time, from telemetry or the scenario clock.
/// </summary>
[GenerateSerializer, Immutable, Alias("twin.event")]
public sealed record TwinEvent
{
    [Id(0)] public long Sequence { get; init; }
    /// <summary>Unique id given by the producer, so a retried append is not stored twice.</summary>
    [Id(1)] public required string Id { get; init; }
    [Id(2)] public required DateTimeOffset Time { get; init; }
    /// <summary><c>health-changed</c>, <c>fault-injected</c>, <c>fault-repaired</c>, <c>fault-summary</c>, ...</summary>
    [Id(3)] public required string Kind { get; init; }
    [Id(4)] public required string Site { get; init; }
    [Id(5)] public string? DeviceId { get; init; }
    [Id(6)] public DeviceKind? DeviceKind { get; init; }
    [Id(7)] public DeviceHealth? Health { get; init; }
    [Id(8)] public DeviceHealth? PreviousHealth { get; init; }
    [Id(9)] public string? FaultId { get; init; }
    [Id(10)] public required string Summary { get; init; }
}
