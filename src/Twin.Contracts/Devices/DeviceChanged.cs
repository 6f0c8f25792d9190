using Twin.Model.Devices;
using Twin.Model.Fabric;

namespace Twin.Contracts.Devices;

/// <summary>Published by a device grain on its site's state stream only when health or state changes.</summary>
[GenerateSerializer, Immutable, Alias("twin.device-changed")]
public sealed record DeviceChanged(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] DeviceKind Kind,
    [property: Id(2)] string Site,
    [property: Id(3)] DeviceHealth Previous,
    [property: Id(4)] DeviceHealth Health,
    [property: Id(5)] string? Reason,
    [property: Id(6)] LinkState? State,
    [property: Id(7)] DateTimeOffset EventTime,
    [property: Id(8)] string? FaultId = null);
