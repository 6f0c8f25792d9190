using Microsoft.Extensions.Options;
using Orleans.Placement;
using Twin.Contracts.Devices;
using Twin.Model.Health;
using Twin.Model.Topology;

namespace Twin.Grains.Devices;

/// <summary>A leaf, spine or core switch: ports, buffers, drops/ECN/PFC, temperature, power.</summary>
[PreferLocalPlacement]
public sealed class SwitchGrain(FactoryTopology topology, IOptionsMonitor<HealthThresholds> thresholds, IOptions<HistoryOptions> history)
    : DeviceGrain(topology, thresholds, history), ISwitchGrain;
