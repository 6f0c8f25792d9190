using Microsoft.Extensions.Options;
using Orleans.Placement;
using Twin.Contracts.Devices;
using Twin.Model.Health;
using Twin.Model.Topology;

namespace Twin.Grains.Devices;

/// <summary>A GPU: utilisation, clocks, memory, temperatures, power, ECC, XID, NVLink.</summary>
[PreferLocalPlacement]
public sealed class GpuGrain(FactoryTopology topology, IOptionsMonitor<HealthThresholds> thresholds, IOptions<HistoryOptions> history)
    : DeviceGrain(topology, thresholds, history), IGpuGrain;
