using Twin.Contracts.Devices;
using Twin.Contracts.Events;
using Twin.Model.Devices;
using Twin.Model.Fabric;

namespace Twin.Grains.Events;

/// <summary>Turns a device change into its history entry; the id makes a redelivered change idempotent.</summary>
public static class HealthEvents
{
    public static TwinEvent From(DeviceChanged c) => new()
    {
        Id = $"{c.DeviceId}@{c.EventTime.UtcTicks}:{c.Health.Name()}:{c.State?.Name()}",
        Time = c.EventTime,
        Kind = "health-changed",
        Site = c.Site,
        DeviceId = c.DeviceId,
        DeviceKind = c.Kind,
        Health = c.Health,
        PreviousHealth = c.Previous,
        FaultId = c.FaultId,
        Summary = $"{c.DeviceId} {c.Previous.Name()} → {c.Health.Name()}" + (c.Reason is null ? "" : $": {c.Reason}"),
    };
}
