using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twin.Contracts.Telemetry;
using Twin.Model.Devices;
using Twin.Model.Topology;

namespace Twin.Grains.Synthetic;

/// <summary>
/// Feeds the twin plausible telemetry through the same ingestion path real exporters use, so a fresh
/// embedded twin is visibly alive. Rounds walk the device list; anomalies come and go at random.
/// </summary>
public sealed partial class SyntheticTelemetrySource(
    IGrainFactory grains,
    FactoryTopology topology,
    IOptions<SyntheticTelemetryOptions> options,
    TimeProvider time,
    RealTelemetrySignal real,
    ILogger<SyntheticTelemetrySource> logger) : BackgroundService
{
    private const int ChunkSize = 512;
    private readonly Dictionary<int, (SyntheticReadings.Anomaly Anomaly, int RoundsLeft)> _anomalies = new();
    private int _cursor;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return;
        }
        LogStarted(logger, topology.Devices.Count, o.Interval);
        var rng = new Random(o.Seed);
        using var timer = new PeriodicTimer(o.Interval, time);
        do
        {
            if (o.PauseAfterRealTelemetry > TimeSpan.Zero && real.ArrivedWithin(o.PauseAfterRealTelemetry))
            {
                continue; // real exporters are feeding the twin: step aside until they go quiet
            }
            try
            {
                await Round(rng, o);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRoundFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One round: refresh the next slice of devices, start or end anomalies.</summary>
    public async Task Round(Random rng, SyntheticTelemetryOptions o)
    {
        var devices = topology.Devices;
        if (devices.Count == 0)
        {
            return;
        }
        if (rng.NextDouble() < o.AnomalyProbability)
        {
            var victim = rng.Next(devices.Count);
            var kind = devices[victim].Kind;
            var anomaly = kind switch
            {
                DeviceKind.Gpu => rng.NextDouble() < 0.1 ? SyntheticReadings.Anomaly.XidFallenOffBus : SyntheticReadings.Anomaly.HotGpu,
                DeviceKind.Link => SyntheticReadings.Anomaly.WeakOptic,
                DeviceKind.Storage => SyntheticReadings.Anomaly.SlowStorage,
                _ => SyntheticReadings.Anomaly.None,
            };
            if (anomaly != SyntheticReadings.Anomaly.None)
            {
                _anomalies[victim] = (anomaly, o.AnomalyRounds);
            }
        }

        var now = time.GetUtcNow();
        var count = Math.Min(o.DevicesPerRound, devices.Count);
        var batch = new List<DeviceTelemetry>(count + _anomalies.Count);
        for (var i = 0; i < count; i++)
        {
            var index = (_cursor + i) % devices.Count;
            if (!_anomalies.ContainsKey(index))
            {
                batch.Add(new DeviceTelemetry(devices[index].Id, now, SyntheticReadings.For(devices[index], rng, SyntheticReadings.Anomaly.None)));
            }
        }
        _cursor = (_cursor + count) % devices.Count;
        // anomalous devices report every round so their state holds, then recover
        foreach (var (index, (anomaly, left)) in _anomalies.ToList())
        {
            var active = left > 0 ? anomaly : SyntheticReadings.Anomaly.None;
            batch.Add(new DeviceTelemetry(devices[index].Id, now, SyntheticReadings.For(devices[index], rng, active)));
            if (left > 0)
            {
                _anomalies[index] = (anomaly, left - 1);
            }
            else
            {
                _anomalies.Remove(index);
            }
        }

        var chunks = batch.Chunk(ChunkSize).Select(chunk => grains.GetGrain<ITelemetryIngestGrain>(ITelemetryIngestGrain.Key).Ingest(chunk).AsTask());
        await Task.WhenAll(chunks);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Synthetic telemetry on: {Devices} devices, a round every {Interval}")]
    private static partial void LogStarted(ILogger logger, int devices, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Synthetic telemetry round failed")]
    private static partial void LogRoundFailed(ILogger logger, Exception e);
}
