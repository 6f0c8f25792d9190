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
        var calls = new Task<int>[devices.Length];
        for (var i = 0; i < devices.Length; i++)
        {
            var d = devices[i];
            calls[i] = topology.TryGet(d.DeviceId, out var device)
                ? GrainFactory.Get(device.Kind, d.DeviceId).ApplyTelemetry(d).AsTask()
                : Task.FromResult(0);
        }
        var applied = 0;
        foreach (var n in await Task.WhenAll(calls))
        {
            applied += n;
        }
        return applied;
    }
}
