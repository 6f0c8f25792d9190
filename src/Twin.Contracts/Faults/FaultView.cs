namespace Twin.Contracts.Faults;

/// <summary>A fault as REST shows it: what, where, since when, what it touched, whether it is still active.</summary>
[GenerateSerializer, Immutable, Alias("twin.fault-view")]
public sealed record FaultView
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Kind { get; init; }
    [Id(2)] public required string Target { get; init; }
    [Id(3)] public required string Site { get; init; }
    [Id(4)] public required IReadOnlyDictionary<string, string> Parameters { get; init; }
    [Id(5)] public required bool Active { get; init; }
    /// <summary><c>api</c>, <c>scenario</c> or <c>telemetry</c> (raised by a device's own readings).</summary>
    [Id(6)] public required string Source { get; init; }
    /// <summary>Event time the fault began.</summary>
    [Id(7)] public required DateTimeOffset At { get; init; }
    [Id(8)] public DateTimeOffset? RepairedAt { get; init; }
    [Id(9)] public TimeSpan? Duration { get; init; }
    [Id(10)] public required int AffectedDevices { get; init; }
    /// <summary>The first affected device ids (the target first), at most 100.</summary>
    [Id(11)] public required IReadOnlyList<string> Affected { get; init; }
    [Id(12)] public required string Summary { get; init; }
}
