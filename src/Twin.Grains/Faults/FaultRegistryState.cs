using Twin.Contracts.Faults;

namespace Twin.Grains.Faults;

/// <summary>
/// What the fault registry keeps across activations: every fault's request and lifetime, and the id
/// counter. A fault's device effects are not stored: the planner derives them again from the request
/// and the topology, which keeps one write small even after a whole-site fault.
/// </summary>
[GenerateSerializer, Alias("twin.fault-registry-state")]
public sealed class FaultRegistryState
{
    [Id(0)] public long Next { get; set; }
    [Id(1)] public List<StoredFault> Faults { get; set; } = [];
}

[GenerateSerializer, Immutable, Alias("twin.stored-fault")]
public sealed record StoredFault(
    [property: Id(0)] string Id,
    [property: Id(1)] InjectFault Request,
    [property: Id(2)] string Site,
    [property: Id(3)] string Summary,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] DateTimeOffset? RepairedAt,
    [property: Id(6)] string? Device,
    [property: Id(7)] bool Applied,
    [property: Id(8)] string? RequestKey = null);
