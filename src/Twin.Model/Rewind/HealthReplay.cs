using Twin.Model.Devices;
using Twin.Model.Fabric;
using Twin.Model.Faults;
using Twin.Model.Health;
using Twin.Model.Topology;

namespace Twin.Model.Rewind;

/// <summary>
/// The factory's health at a past moment, rebuilt from history: the faults active then (each planned again into
/// the devices it touched, exactly as the registry applied it) and the last health each device's own telemetry
/// gave it by then. The worse of the two stands, as it does live.
/// </summary>
public sealed class HealthReplay(FactoryTopology topology, FaultPlanner planner, HealthThresholds thresholds)
{
    public FactorySnapshot At(DateTimeOffset t, IEnumerable<PastFault> faults, IEnumerable<PastHealthChange> telemetry)
    {
        var devices = new Dictionary<string, DeviceAt>(StringComparer.Ordinal);
        foreach (var change in telemetry.Where(c => c.Time <= t).OrderBy(c => c.Time))
        {
            if (change.Health == DeviceHealth.Healthy)
            {
                devices.Remove(change.DeviceId);
            }
            else
            {
                devices[change.DeviceId] = new DeviceAt(change.Health, change.Reason, null, []);
            }
        }
        var active = faults.Where(f => f.ActiveAt(t)).OrderBy(f => f.At).ToList();
        foreach (var fault in active)
        {
            foreach (var effect in planner.Plan(fault.Request, thresholds).Plan?.Effects ?? [])
            {
                var was = devices.GetValueOrDefault(effect.DeviceId) ?? DeviceAt.Healthy;
                var worse = effect.Health > was.Health;
                devices[effect.DeviceId] = new DeviceAt(
                    worse ? effect.Health : was.Health,
                    worse ? effect.Reason : was.Reason,
                    effect.State ?? was.State,
                    [.. was.FaultIds, fault.Id]);
            }
        }
        return new FactorySnapshot(topology, t, devices, active);
    }
}

/// <summary>One device's state in a snapshot: health, why, a link's state (flapping, down), the faults on it.</summary>
public sealed record DeviceAt(DeviceHealth Health, string? Reason, LinkState? State, IReadOnlyList<string> FaultIds)
{
    public static readonly DeviceAt Healthy = new(DeviceHealth.Healthy, null, null, []);
}

/// <summary>The factory at one moment: every device not healthy then, and the faults active.</summary>
public sealed class FactorySnapshot(FactoryTopology topology, DateTimeOffset at, IReadOnlyDictionary<string, DeviceAt> devices, IReadOnlyList<PastFault> activeFaults)
{
    public DateTimeOffset At { get; } = at;

    public IReadOnlyList<PastFault> ActiveFaults { get; } = activeFaults;

    public DeviceAt Device(string id) => devices.GetValueOrDefault(id) ?? DeviceAt.Healthy;

    /// <summary>Devices of one kind in a site by health: (total, healthy, degraded, failed, other).</summary>
    public (int Total, int Healthy, int Degraded, int Failed, int Other) Count(string site, DeviceKind kind)
    {
        int total = 0, healthy = 0, degraded = 0, failed = 0, other = 0;
        foreach (var d in topology.Devices)
        {
            if (d.Site != site || d.Kind != kind)
            {
                continue;
            }
            total++;
            switch (Device(d.Id).Health)
            {
                case DeviceHealth.Healthy: healthy++; break;
                case DeviceHealth.Degraded: degraded++; break;
                case DeviceHealth.Failed: failed++; break;
                default: other++; break;
            }
        }
        return (total, healthy, degraded, failed, other);
    }

    /// <summary>GPUs of a site that could take work then, by <see cref="Usability"/>.</summary>
    public int UsableGpus(string site)
    {
        var cutOff = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, state) in devices)
        {
            if (Usability.Blocks(state.Health, state.State ?? LinkState.Up) && topology.Find(id) is { } d && d.Site == site)
            {
                cutOff.UnionWith(topology.Paths.GpusBehind(id));
            }
        }
        return topology.Count(site, DeviceKind.Gpu) - cutOff.Count;
    }
}
