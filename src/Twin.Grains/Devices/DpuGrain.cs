using Microsoft.Extensions.Options;
using Twin.Contracts.Devices;
using Twin.Model.Health;
using Twin.Model.Topology;

namespace Twin.Grains.Devices;

/// <summary>A host's DPU: sessions, rate limits, firewall drops, attestation.</summary>
public sealed class DpuGrain(FactoryTopology topology, IOptionsMonitor<HealthThresholds> thresholds, IOptions<HistoryOptions> history)
    : DeviceGrain(topology, thresholds, history), IDpuGrain;
