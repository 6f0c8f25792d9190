using Twin.Contracts.Faults;
using Twin.Model.Devices;
using Twin.Model.Faults;

namespace Twin.Grains.Faults;

/// <summary>A fault the registry holds: its request, the devices it touched, and when it began and ended.</summary>
internal sealed class FaultRecord(string id, InjectFault request, string site, string summary, DateTimeOffset at)
{
    public string Id { get; } = id;
    public InjectFault Request { get; } = request;
    public string Site { get; } = site;
    public string Summary { get; set; } = summary;
    public DateTimeOffset At { get; } = at;
    public DateTimeOffset? RepairedAt { get; set; }
    public IReadOnlyList<DeviceEffect> Effects { get; init; } = [];
    public bool Active => RepairedAt is null;

    /// <summary>For telemetry-raised faults: the device whose readings raised it.</summary>
    public string? Device { get; init; }

    /// <summary>The <c>Idempotency-Key</c> of the request that injected it, if it had one.</summary>
    public string? RequestKey { get; init; }

    public FaultView View() => new()
    {
        Id = Id,
        Kind = Request.Kind,
        Target = Request.Target,
        Site = Site,
        Parameters = Request.Parameters ?? new Dictionary<string, string>(),
        Active = Active,
        Source = Request.Source,
        At = At,
        RepairedAt = RepairedAt,
        Duration = Request.Duration,
        AffectedDevices = Effects.Count == 0 && Device is not null ? 1 : Effects.Count,
        Affected = Effects.Count == 0 && Device is not null ? [Device] : Effects.Take(100).Select(e => e.DeviceId).ToList(),
        Summary = Summary,
    };

    /// <summary>Telemetry faults are named after what the readings show.</summary>
    public static string TelemetryKind(DeviceKind kind, DeviceHealth health, string? reason) => kind switch
    {
        DeviceKind.Gpu when reason?.StartsWith("XID", StringComparison.Ordinal) == true => "gpu-xid",
        DeviceKind.Gpu when reason?.Contains("temperature", StringComparison.Ordinal) == true => "gpu-thermal",
        DeviceKind.Gpu => "gpu-health",
        DeviceKind.Link when health == DeviceHealth.Failed => "link-down",
        DeviceKind.Link => "optic-degrade",
        DeviceKind.Switch => "switch-health",
        DeviceKind.Storage when health == DeviceHealth.Failed => "storage-down",
        DeviceKind.Storage => "storage-slow",
        DeviceKind.Dpu => health == DeviceHealth.Quarantined ? "attestation-failure" : "dpu-failure",
        DeviceKind.Dci => health == DeviceHealth.Failed ? "dci-cut" : "dci-degrade",
        _ => "device-health",
    };
}
