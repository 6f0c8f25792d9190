using Microsoft.Extensions.Options;
using Orleans.Placement;
using Twin.Contracts.Devices;
using Twin.Model.Health;
using Twin.Model.Topology;

namespace Twin.Grains.Devices;

/// <summary>An optic or copper link: optical power, pre-FEC BER, FEC counts, flaps, state.</summary>
[PreferLocalPlacement]
public sealed class OpticLinkGrain(FactoryTopology topology, IOptionsMonitor<HealthThresholds> thresholds, IOptions<HistoryOptions> history)
    : DeviceGrain(topology, thresholds, history), IOpticLinkGrain;
