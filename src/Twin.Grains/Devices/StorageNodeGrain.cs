using Microsoft.Extensions.Options;
using Orleans.Placement;
using Twin.Contracts.Devices;
using Twin.Model.Health;
using Twin.Model.Topology;

namespace Twin.Grains.Devices;

/// <summary>A storage node of the hot or capacity tier: throughput, IOPS, latency, capacity.</summary>
[PreferLocalPlacement]
public sealed class StorageNodeGrain(FactoryTopology topology, IOptionsMonitor<HealthThresholds> thresholds, IOptions<HistoryOptions> history)
    : DeviceGrain(topology, thresholds, history), IStorageNodeGrain;
