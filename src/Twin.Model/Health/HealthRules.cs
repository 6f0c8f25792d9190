using Twin.Model.Devices;
using Twin.Model.Telemetry;

namespace Twin.Model.Health;

/// <summary>
/// Derives a device's health from its mirrored metrics (one value per slot of its kind, NaN when never reported).
/// Pure and allocation-free unless a rule fires (the reason string).
/// </summary>
public static class HealthRules
{
    public static HealthVerdict Evaluate(DeviceKind kind, ReadOnlySpan<double> slots, HealthThresholds t) => kind switch
    {
        DeviceKind.Gpu => Gpu(slots, t),
        DeviceKind.Switch => Switch(slots, t),
        DeviceKind.Link => Link(slots, t),
        DeviceKind.Storage => Storage(slots, t),
        DeviceKind.Dpu => Dpu(slots),
        DeviceKind.Dci => Dci(slots, t),
        _ => HealthVerdict.Healthy,
    };

    private static double Get(ReadOnlySpan<double> slots, DeviceKind kind, Metric metric)
    {
        var slot = MetricCatalog.Slot(kind, metric);
        return slot < 0 ? double.NaN : slots[slot];
    }

    private static HealthVerdict Gpu(ReadOnlySpan<double> s, HealthThresholds t)
    {
        const DeviceKind k = DeviceKind.Gpu;
        var verdict = HealthVerdict.Healthy;
        if (Get(s, k, Metric.Online) == 0)
        {
            return new(DeviceHealth.Failed, "gpu not responding");
        }
        var xid = Get(s, k, Metric.Xid);
        if (xid > 0)
        {
            var code = (int)xid;
            if (t.GpuFailingXids.Contains(code))
            {
                return new(DeviceHealth.Failed, $"XID {code}");
            }
            if (t.GpuDegradingXids.Contains(code))
            {
                verdict = new(DeviceHealth.Degraded, $"XID {code}");
            }
        }
        if (Get(s, k, Metric.RowRemapFailure) >= 1)
        {
            return new(DeviceHealth.Failed, "row remapping failed");
        }
        var temp = Get(s, k, Metric.TemperatureC);
        if (temp >= t.GpuFailedTemperatureC)
        {
            return new(DeviceHealth.Failed, $"temperature {temp:0} °C ≥ {t.GpuFailedTemperatureC:0} °C");
        }
        if (temp >= t.GpuDegradedTemperatureC)
        {
            verdict = verdict.Worst(new(DeviceHealth.Degraded, $"temperature {temp:0} °C ≥ {t.GpuDegradedTemperatureC:0} °C"));
        }
        var memTemp = Get(s, k, Metric.MemoryTemperatureC);
        if (memTemp >= t.GpuDegradedMemoryTemperatureC)
        {
            verdict = verdict.Worst(new(DeviceHealth.Degraded, $"HBM temperature {memTemp:0} °C"));
        }
        if (Get(s, k, Metric.EccDbeTotal) > 0)
        {
            verdict = verdict.Worst(new(DeviceHealth.Degraded, "double-bit ECC errors since reset"));
        }
        if (Get(s, k, Metric.RowRemapPending) > 0)
        {
            verdict = verdict.Worst(new(DeviceHealth.Degraded, "row remap pending: reset to apply"));
        }
        return verdict;
    }

    private static HealthVerdict Switch(ReadOnlySpan<double> s, HealthThresholds t)
    {
        const DeviceKind k = DeviceKind.Switch;
        if (Get(s, k, Metric.Online) == 0)
        {
            return new(DeviceHealth.Failed, "switch not responding");
        }
        var temp = Get(s, k, Metric.TemperatureC);
        if (temp >= t.SwitchFailedTemperatureC)
        {
            return new(DeviceHealth.Failed, $"ASIC temperature {temp:0} °C");
        }
        if (temp >= t.SwitchDegradedTemperatureC)
        {
            return new(DeviceHealth.Degraded, $"ASIC temperature {temp:0} °C");
        }
        var down = Get(s, k, Metric.PortsDown);
        return down > 0 ? new(DeviceHealth.Degraded, $"{down:0} port(s) down") : HealthVerdict.Healthy;
    }

    private static HealthVerdict Link(ReadOnlySpan<double> s, HealthThresholds t)
    {
        const DeviceKind k = DeviceKind.Link;
        if (Get(s, k, Metric.OperUp) == 0)
        {
            return new(DeviceHealth.Failed, "link down");
        }
        var rx = Get(s, k, Metric.RxPowerDbm);
        if (rx <= t.OpticLossOfSignalDbm)
        {
            return new(DeviceHealth.Failed, $"loss of signal (rx {rx:0.0} dBm)");
        }
        var verdict = HealthVerdict.Healthy;
        if (rx < t.OpticDegradedRxPowerDbm)
        {
            verdict = new(DeviceHealth.Degraded, $"rx power {rx:0.0} dBm below {t.OpticDegradedRxPowerDbm:0.0} dBm");
        }
        var ber = Get(s, k, Metric.PreFecBer);
        if (ber > t.PreFecBerLimit)
        {
            verdict = verdict.Worst(new(DeviceHealth.Degraded, $"pre-FEC BER {ber:0.0e0} above FEC limit {t.PreFecBerLimit:0.0e0}"));
        }
        var temp = Get(s, k, Metric.TemperatureC);
        if (temp >= t.OpticDegradedTemperatureC)
        {
            verdict = verdict.Worst(new(DeviceHealth.Degraded, $"module temperature {temp:0} °C"));
        }
        return verdict;
    }

    private static HealthVerdict Storage(ReadOnlySpan<double> s, HealthThresholds t)
    {
        const DeviceKind k = DeviceKind.Storage;
        if (Get(s, k, Metric.Online) == 0)
        {
            return new(DeviceHealth.Failed, "storage node offline");
        }
        var p99 = Get(s, k, Metric.LatencyP99Ms);
        return p99 > t.StorageDegradedLatencyP99Ms
            ? new(DeviceHealth.Degraded, $"p99 latency {p99:0.#} ms above {t.StorageDegradedLatencyP99Ms:0} ms")
            : HealthVerdict.Healthy;
    }

    private static HealthVerdict Dpu(ReadOnlySpan<double> s)
    {
        const DeviceKind k = DeviceKind.Dpu;
        if (Get(s, k, Metric.Online) == 0)
        {
            return new(DeviceHealth.Failed, "dpu offline");
        }
        // A host whose root of trust does not attest is taken out of the schedulable pool.
        return Get(s, k, Metric.AttestationOk) == 0
            ? new(DeviceHealth.Quarantined, "attestation failed")
            : HealthVerdict.Healthy;
    }

    private static HealthVerdict Dci(ReadOnlySpan<double> s, HealthThresholds t)
    {
        const DeviceKind k = DeviceKind.Dci;
        if (Get(s, k, Metric.OperUp) == 0)
        {
            return new(DeviceHealth.Failed, "DCI link down");
        }
        var loss = Get(s, k, Metric.LossPct);
        return loss > t.DciDegradedLossPct
            ? new(DeviceHealth.Degraded, $"packet loss {loss:0.##}%")
            : HealthVerdict.Healthy;
    }
}
