namespace Twin.Model.Devices;

/// <summary>The REST / id spelling of kinds and health values, parsed without allocation.</summary>
public static class DeviceKinds
{
    public static string Name(this DeviceKind kind) => kind switch
    {
        DeviceKind.Gpu => "gpu",
        DeviceKind.Switch => "switch",
        DeviceKind.Link => "link",
        DeviceKind.Storage => "storage",
        DeviceKind.Dpu => "dpu",
        DeviceKind.Dci => "dci",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string Name(this DeviceHealth health) => health switch
    {
        DeviceHealth.Healthy => "healthy",
        DeviceHealth.Degraded => "degraded",
        DeviceHealth.Draining => "draining",
        DeviceHealth.Quarantined => "quarantined",
        DeviceHealth.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(health)),
    };

    public static bool TryParseKind(ReadOnlySpan<char> text, out DeviceKind kind)
    {
        foreach (var k in Enum.GetValues<DeviceKind>())
        {
            if (text.Equals(k.Name(), StringComparison.OrdinalIgnoreCase))
            {
                kind = k;
                return true;
            }
        }
        kind = default;
        return false;
    }

    public static bool TryParseHealth(ReadOnlySpan<char> text, out DeviceHealth health)
    {
        foreach (var h in Enum.GetValues<DeviceHealth>())
        {
            if (text.Equals(h.Name(), StringComparison.OrdinalIgnoreCase))
            {
                health = h;
                return true;
            }
        }
        health = default;
        return false;
    }

    /// <summary>The site of a device id is its first segment (<c>east/gpu/h0012-3</c> → <c>east</c>).</summary>
    public static ReadOnlySpan<char> SiteOf(ReadOnlySpan<char> deviceId)
    {
        var slash = deviceId.IndexOf('/');
        return slash < 0 ? deviceId : deviceId[..slash];
    }

    public static DeviceHealth Worst(DeviceHealth a, DeviceHealth b) => a >= b ? a : b;

    /// <summary>
    /// Share of its capacity a device still offers: all when healthy, half when degraded (a slow storage node,
    /// a lossy DCI link still carries traffic), none otherwise.
    /// </summary>
    public static double CapacityShare(this DeviceHealth health) => health switch
    {
        DeviceHealth.Healthy => 1.0,
        DeviceHealth.Degraded => 0.5,
        _ => 0.0,
    };

    /// <summary>A GPU in this state takes no work: failed, or drained or quarantined by operators.</summary>
    public static bool OutOfPool(this DeviceHealth health) =>
        health is DeviceHealth.Failed or DeviceHealth.Quarantined or DeviceHealth.Draining;
}
