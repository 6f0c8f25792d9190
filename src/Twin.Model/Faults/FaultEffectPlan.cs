using Twin.Model.Devices;
using Twin.Model.Fabric;
using Twin.Model.Outcomes;

namespace Twin.Model.Faults;

/// <summary>What a fault does to one device: the health it imposes, why, link state, readings it forces.</summary>
public sealed record DeviceEffect(
    string DeviceId,
    DeviceKind Kind,
    string Site,
    DeviceHealth Health,
    string Reason,
    LinkState? State = null,
    IReadOnlyDictionary<string, double>? Metrics = null);

/// <summary>Every device a fault touches (the target first, then what depends on it) and the sites involved.</summary>
public sealed record FaultEffectPlan(string Site, IReadOnlyList<DeviceEffect> Effects, string Summary);

/// <summary>Why a fault request cannot be carried out: the field, the reason, and 400 or 404.</summary>
public sealed record FaultRejection(Refusal Reason, string Field, string Message);
