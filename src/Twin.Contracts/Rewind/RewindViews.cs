using Twin.Contracts.Sites;
using Twin.Model.Devices;
using Twin.Model.Fabric;

namespace Twin.Contracts.Rewind;

/// <summary><c>GET /api/v1/factory?at=</c>: the factory as history says it was.</summary>
public sealed record FactoryAtView(
    DateTimeOffset At,
    int Gpus,
    int UsableGpus,
    IReadOnlyList<SiteAtView> Sites,
    IReadOnlyList<FaultAtView> ActiveFaults,
    IReadOnlyList<JobAtView> Jobs,
    RewindExactness Exactness);

/// <summary><c>GET /api/v1/sites/{site}?at=</c>.</summary>
public sealed record SiteAtView(
    string Name,
    DateTimeOffset At,
    HealthCounts Gpus,
    HealthCounts Switches,
    HealthCounts Links,
    HealthCounts StorageNodes,
    HealthCounts Dpus,
    int UsableGpus,
    IReadOnlyList<string> ActiveFaults,
    RewindExactness Exactness);

/// <summary><c>GET /api/v1/devices/{id}?at=</c>: health and faults then, and the last reading of each metric by then.</summary>
public sealed record DeviceAtView(
    string Id,
    DeviceKind Kind,
    string Site,
    DateTimeOffset At,
    DeviceHealth Health,
    string? HealthReason,
    LinkState? State,
    IReadOnlyList<string> ActiveFaults,
    IReadOnlyDictionary<string, double> Metrics,
    RewindExactness Exactness);

/// <summary>A fault active at the moment asked for.</summary>
public sealed record FaultAtView(string Id, string Kind, string Target, DateTimeOffset Since, DateTimeOffset? RepairedAt);

/// <summary>A job's state at the moment asked for, from its timeline.</summary>
public sealed record JobAtView(string Id, string Name, string State);
