using Twin.Contracts.Telemetry;
using Twin.Model.Devices;
using Twin.Model.Telemetry;
using Twin.Model.Topology;

namespace Twin.Grains.Synthetic;

/// <summary>
/// Plausible readings per device kind (H100-class GPUs under training load, 800G optics, NVMe storage)
/// and the anomalies that make a demo worth watching.
/// </summary>
public static class SyntheticReadings
{
    public enum Anomaly : byte
    {
        None,
        HotGpu,
        XidFallenOffBus,
        WeakOptic,
        SlowStorage,
    }

    public static MetricValue[] For(DeviceDescriptor d, Random rng, Anomaly anomaly)
    {
        double Between(double lo, double hi) => lo + rng.NextDouble() * (hi - lo);
        return d.Kind switch
        {
            DeviceKind.Gpu => Gpu(Between, anomaly),
            DeviceKind.Switch =>
            [
                new(Metric.TemperatureC, Between(55, 75)), new(Metric.PowerW, Between(900, 1400)),
                new(Metric.Utilization, Between(0.4, 0.8)), new(Metric.Online, 1), new(Metric.PortsDown, 0),
                new(Metric.BufferUsedPct, Between(5, 40)), new(Metric.DropsPerSecond, Between(0, 3)),
                new(Metric.EcnMarksPerSecond, Between(0, 200)), new(Metric.PfcPausesPerSecond, Between(0, 50)),
            ],
            DeviceKind.Link =>
            [
                new(Metric.TemperatureC, Between(40, 58)), new(Metric.OperUp, 1),
                new(Metric.RxPowerDbm, anomaly == Anomaly.WeakOptic ? Between(-9.5, -8.5) : Between(-3.5, -1.0)),
                new(Metric.TxPowerDbm, Between(0.5, 2.5)),
                new(Metric.PreFecBer, anomaly == Anomaly.WeakOptic ? Between(3e-4, 8e-4) : Math.Pow(10, Between(-9, -6))),
                new(Metric.Utilization, Between(0.3, 0.9)),
            ],
            DeviceKind.Storage =>
            [
                new(Metric.TemperatureC, Between(30, 45)), new(Metric.Online, 1),
                new(Metric.ReadGBps, Between(0.2, 0.7) * d.MaxReadGBps), new(Metric.WriteGBps, Between(0.05, 0.3) * d.MaxWriteGBps),
                new(Metric.Iops, Between(2e5, 9e5)),
                new(Metric.LatencyP99Ms, anomaly == Anomaly.SlowStorage ? Between(60, 120) : Between(0.5, 4)),
                new(Metric.UsedTB, d.CapacityTB * 0.6),
            ],
            DeviceKind.Dpu =>
            [
                new(Metric.TemperatureC, Between(45, 65)), new(Metric.Online, 1), new(Metric.AttestationOk, 1),
                new(Metric.ConntrackSessions, Math.Round(Between(2_000, 40_000))), new(Metric.Utilization, Between(0.1, 0.5)),
            ],
            DeviceKind.Dci =>
            [
                new(Metric.OperUp, 1), new(Metric.Utilization, Between(0.2, 0.7)),
                new(Metric.LatencyMs, Model.Fabric.FibrePropagation.OneWay(d.DistanceKm).TotalMilliseconds * Between(1.0, 1.02)),
                new(Metric.LossPct, Between(0, 0.001)), new(Metric.PreFecBer, Math.Pow(10, Between(-8, -6))),
            ],
            _ => [],
        };
    }

    private static MetricValue[] Gpu(Func<double, double, double> between, Anomaly anomaly)
    {
        var util = between(0.82, 0.99);
        var temp = anomaly == Anomaly.HotGpu ? between(88, 92) : 45 + 28 * util + between(-3, 3);
        return
        [
            new(Metric.TemperatureC, temp), new(Metric.PowerW, 200 + 480 * util + between(-20, 20)),
            new(Metric.Utilization, util), new(Metric.Online, 1), new(Metric.SmClockMhz, anomaly == Anomaly.HotGpu ? 1410 : between(1755, 1980)),
            new(Metric.MemClockMhz, 2619), new(Metric.MemoryTemperatureC, temp + between(2, 8)),
            new(Metric.MemoryUsedMiB, between(60_000, 78_000)), new(Metric.Xid, anomaly == Anomaly.XidFallenOffBus ? 79 : 0),
            new(Metric.TensorActive, util * between(0.5, 0.7)), new(Metric.NvlinkBandwidthGbps, between(400, 1800)),
        ];
    }
}
