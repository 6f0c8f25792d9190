using Microsoft.Extensions.Options;
using Orleans.Placement;
using Twin.Contracts.Devices;
using Twin.Model.Health;
using Twin.Model.Topology;

namespace Twin.Grains.Devices;

/// <summary>A long-haul DCI link between two sites.</summary>
[PreferLocalPlacement]
public sealed class DciLinkGrain(FactoryTopology topology, IOptionsMonitor<HealthThresholds> thresholds, IOptions<HistoryOptions> history)
    : DeviceGrain(topology, thresholds, history), IDciLinkGrain;
