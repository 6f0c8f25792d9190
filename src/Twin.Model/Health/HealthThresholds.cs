namespace Twin.Model.Health;

/// <summary>
/// Limits that turn mirrored telemetry into health. Defaults follow how operators read the hardware
/// (NVIDIA XID catalogue, H100 thermal limits, 400G/800G KP4 FEC limit); all are configurable
/// under <c>Twin:Health</c>.
/// </summary>
public sealed class HealthThresholds
{
    /// <summary>XIDs that take a GPU out of service: 48 DBE, 64 row-remap failure, 79 fallen off the bus, 95 uncontained ECC, 119/120 GSP.</summary>
    public int[] GpuFailingXids { get; set; } = [48, 64, 79, 95, 119, 120];

    /// <summary>XIDs that leave a GPU usable but in need of attention: 63 row remap pending, 74 NVLink, 92 high SBE rate, 94 contained ECC.</summary>
    public int[] GpuDegradingXids { get; set; } = [63, 74, 92, 94];

    /// <summary>GPU core temperature at which clocks are throttled (H100 slowdown ≈ 87 °C).</summary>
    public double GpuDegradedTemperatureC { get; set; } = 87;

    /// <summary>GPU core temperature near thermal shutdown.</summary>
    public double GpuFailedTemperatureC { get; set; } = 95;

    /// <summary>HBM temperature at which memory throttles.</summary>
    public double GpuDegradedMemoryTemperatureC { get; set; } = 95;

    /// <summary>Receive power below which an optic is out of margin (typical 800G-DR8 lane sensitivity).</summary>
    public double OpticDegradedRxPowerDbm { get; set; } = -8.0;

    /// <summary>Receive power below which there is no light: loss of signal, the link is down.</summary>
    public double OpticLossOfSignalDbm { get; set; } = -20.0;

    /// <summary>Pre-FEC BER the KP4 RS(544,514) FEC can still correct; above it frames are lost.</summary>
    public double PreFecBerLimit { get; set; } = 2.4e-4;

    /// <summary>Pluggable module case temperature limit (commercial-temperature modules: 70 °C).</summary>
    public double OpticDegradedTemperatureC { get; set; } = 70;

    /// <summary>Link flaps within the flap window that mark a link as flapping.</summary>
    public int FlapsToMarkFlapping { get; set; } = 3;

    /// <summary>Window over which flaps are counted.</summary>
    public TimeSpan FlapWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Switch ASIC temperature at which it throttles.</summary>
    public double SwitchDegradedTemperatureC { get; set; } = 95;

    /// <summary>Switch ASIC temperature near shutdown.</summary>
    public double SwitchFailedTemperatureC { get; set; } = 105;

    /// <summary>Storage p99 latency beyond which the node is slow.</summary>
    public double StorageDegradedLatencyP99Ms { get; set; } = 50;

    /// <summary>DCI packet loss beyond which collectives stall on retransmits.</summary>
    public double DciDegradedLossPct { get; set; } = 0.1;
}
