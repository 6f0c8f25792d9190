using Orleans.Concurrency;
using Twin.Contracts.Devices;
using Twin.Contracts.Telemetry;
using Twin.Model.Topology;

namespace Twin.Grains.Ingestion;

/// <summary>
/// Applies a chunk of a telemetry batch: one concurrent call per device grain. Callers use key 0
/// (<see cref="ITelemetryIngestGrain.Key"/>): a stateless worker per key would be a new activation per key,
/// and reentrancy lets the few local activations take more chunks while they await device grains.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class TelemetryIngestGrain(FactoryTopology topology) : Grain, ITelemetryIngestGrain
{
    public async ValueTask<int> Ingest(DeviceTelemetry[] devices)
    {
        var calls = new List<Task>(devices.Length);
        var sent = 0;
        foreach (var d in devices)
        {
            if (topology.TryGet(d.DeviceId, out var device))
            {
                calls.Add(GrainFactory.Get(device.Kind, d.DeviceId).Ingest(d).AsTask());
                sent += d.Values.Length;
            }
        }
        await Task.WhenAll(calls);
        return sent;
    }
}
