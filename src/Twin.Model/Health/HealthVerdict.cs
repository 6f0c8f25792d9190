using Twin.Model.Devices;

namespace Twin.Model.Health;

/// <summary>Derived health and the first rule that set it (null when healthy).</summary>
public readonly record struct HealthVerdict(DeviceHealth Health, string? Reason)
{
    public static HealthVerdict Healthy => new(DeviceHealth.Healthy, null);

    public HealthVerdict Worst(HealthVerdict other) => other.Health > Health ? other : this;
}
