using Twin.Model.Devices;
using Twin.Model.Fabric;

namespace Twin.Contracts.Faults;

/// <summary>What a fault does to one device: the health it imposes, why, and the link state where it applies.</summary>
[GenerateSerializer, Immutable, Alias("twin.fault-effect")]
public sealed record FaultEffect(
    [property: Id(0)] string FaultId,
    [property: Id(1)] string Kind,
    [property: Id(2)] DeviceHealth Health,
    [property: Id(3)] string Reason,
    [property: Id(4)] DateTimeOffset EventTime,
    [property: Id(5)] LinkState? State = null,
    [property: Id(6)] bool Quiet = false,
    [property: Id(7)] IReadOnlyDictionary<string, double>? Metrics = null);
