namespace Twin.Model.Devices;

/// <summary>Health as operators read it. Ordered by severity so the worse of two is the larger.</summary>
public enum DeviceHealth : byte
{
    Healthy,
    Degraded,
    Draining,
    Quarantined,
    Failed,
}
