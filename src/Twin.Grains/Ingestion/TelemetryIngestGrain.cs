using Orleans.Concurrency;
using Twin.Contracts.Devices;
using Twin.Contracts.Telemetry;
using Twin.Model.Topology;

namespace Twin.Grains.Ingestion;

/// <summary>Applies a chunk of a telemetry batch: one concurrent call per device grain.</summary>
[StatelessWorker]
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
