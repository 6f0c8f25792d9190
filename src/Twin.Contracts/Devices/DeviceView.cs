using Twin.Model.Devices;
using Twin.Model.Fabric;

namespace Twin.Contracts.Devices;

/// <summary>The full mirrored state of one device as REST shows it.</summary>
[GenerateSerializer, Immutable, Alias("twin.device-view")]
public sealed record DeviceView
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required DeviceKind Kind { get; init; }
    [Id(2)] public required string Site { get; init; }
    [Id(3)] public required DeviceHealth Health { get; init; }
    /// <summary>Why the device is not healthy (the first rule or fault that set it).</summary>
    [Id(4)] public string? HealthReason { get; init; }
    /// <summary>Operational state where the kind has one: links <c>up</c>/<c>down</c>/<c>flapping</c>.</summary>
    [Id(5)] public LinkState? State { get; init; }
    /// <summary>Event time of the last telemetry applied; null before any arrived.</summary>
    [Id(6)] public DateTimeOffset? LastUpdate { get; init; }
    /// <summary>Latest value of each canonical metric reported so far.</summary>
    [Id(7)] public required IReadOnlyDictionary<string, double> Metrics { get; init; }
    /// <summary>Static facts from the topology (model, host, endpoints, speed, ...).</summary>
    [Id(8)] public required IReadOnlyDictionary<string, string> Attributes { get; init; }
    /// <summary>Ids of faults active on this device.</summary>
    [Id(9)] public required IReadOnlyList<string> ActiveFaults { get; init; }
    /// <summary>Samples applied since activation.</summary>
    [Id(10)] public long Samples { get; init; }
}
