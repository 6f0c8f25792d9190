using Twin.Model.Devices;

namespace Twin.Model.Rewind;

/// <summary>A device's health as its own telemetry set it (not a fault), from the event history.</summary>
public sealed record PastHealthChange(string DeviceId, DateTimeOffset Time, DeviceHealth Health, string? Reason);
