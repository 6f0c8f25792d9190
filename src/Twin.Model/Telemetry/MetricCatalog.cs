using System.Collections.Frozen;
using Twin.Model.Devices;

namespace Twin.Model.Telemetry;

/// <summary>
/// Names, units and the per-kind layout of the canonical metrics. A device grain keeps one
/// <c>double</c> per slot of its kind, so its state is a small dense array, not a dictionary.
/// </summary>
public static class MetricCatalog
{
    private static readonly MetricInfo[] Infos =
    [
        new(Metric.TemperatureC, "temperature_c", "°C", false, "device or module temperature"),
        new(Metric.PowerW, "power_w", "W", false, "power draw"),
        new(Metric.Utilization, "utilization", "ratio", false, "busy fraction 0..1 (GPU util, link or DCI utilisation)"),
        new(Metric.Online, "online", "bool", false, "1 when the device answers, 0 when it is gone"),
        new(Metric.SmClockMhz, "sm_clock_mhz", "MHz", false, "SM clock"),
        new(Metric.MemClockMhz, "mem_clock_mhz", "MHz", false, "memory clock"),
        new(Metric.MemoryTemperatureC, "memory_temperature_c", "°C", false, "HBM temperature"),
        new(Metric.MemoryUsedMiB, "memory_used_mib", "MiB", false, "framebuffer used"),
        new(Metric.MemoryFreeMiB, "memory_free_mib", "MiB", false, "framebuffer free"),
        new(Metric.EnergyJ, "energy_j", "J", true, "energy since boot"),
        new(Metric.EccSbeTotal, "ecc_sbe_total", "count", true, "volatile single-bit ECC errors"),
        new(Metric.EccDbeTotal, "ecc_dbe_total", "count", true, "volatile double-bit ECC errors"),
        new(Metric.Xid, "xid", "code", false, "last XID error code (0 = none)"),
        new(Metric.NvlinkErrorsTotal, "nvlink_errors_total", "count", true, "NVLink CRC/replay/recovery errors"),
        new(Metric.NvlinkBandwidthGbps, "nvlink_bandwidth_gbps", "Gb/s", false, "NVLink traffic"),
        new(Metric.PcieReplayTotal, "pcie_replay_total", "count", true, "PCIe replays"),
        new(Metric.RowRemapPending, "row_remap_pending", "count", false, "uncorrectable remapped rows awaiting reset"),
        new(Metric.RowRemapFailure, "row_remap_failure", "bool", false, "1 when row remapping failed"),
        new(Metric.TensorActive, "tensor_active", "ratio", false, "tensor pipe active fraction"),
        new(Metric.RxPowerDbm, "rx_power_dbm", "dBm", false, "lowest lane receive power"),
        new(Metric.TxPowerDbm, "tx_power_dbm", "dBm", false, "lowest lane transmit power"),
        new(Metric.LaserBiasMa, "laser_bias_ma", "mA", false, "laser bias current"),
        new(Metric.PreFecBer, "pre_fec_ber", "ratio", false, "bit error rate before FEC"),
        new(Metric.FecCorrectedTotal, "fec_corrected_total", "count", true, "FEC corrected codewords"),
        new(Metric.FecUncorrectableTotal, "fec_uncorrectable_total", "count", true, "FEC uncorrectable codewords"),
        new(Metric.OperUp, "oper_up", "bool", false, "1 when the link is operationally up"),
        new(Metric.FlapsTotal, "flaps_total", "count", true, "link down transitions"),
        new(Metric.TxGbps, "tx_gbps", "Gb/s", false, "transmit rate"),
        new(Metric.RxGbps, "rx_gbps", "Gb/s", false, "receive rate"),
        new(Metric.SymbolErrorsTotal, "symbol_errors_total", "count", true, "InfiniBand symbol errors"),
        new(Metric.PortsDown, "ports_down", "count", false, "switch ports operationally down"),
        new(Metric.BufferUsedPct, "buffer_used_pct", "%", false, "shared packet buffer occupancy"),
        new(Metric.DropsPerSecond, "drops_per_s", "1/s", false, "dropped packets per second"),
        new(Metric.EcnMarksPerSecond, "ecn_marks_per_s", "1/s", false, "ECN-marked packets per second"),
        new(Metric.PfcPausesPerSecond, "pfc_pauses_per_s", "1/s", false, "PFC pause frames per second"),
        new(Metric.LatencyMs, "latency_ms", "ms", false, "one-way latency"),
        new(Metric.LossPct, "loss_pct", "%", false, "packet loss"),
        new(Metric.ReadGBps, "read_gbytes_per_s", "GB/s", false, "read throughput"),
        new(Metric.WriteGBps, "write_gbytes_per_s", "GB/s", false, "write throughput"),
        new(Metric.Iops, "iops", "1/s", false, "I/O operations per second"),
        new(Metric.LatencyP99Ms, "latency_p99_ms", "ms", false, "p99 I/O latency"),
        new(Metric.UsedTB, "used_tb", "TB", false, "capacity used"),
        new(Metric.ConntrackSessions, "conntrack_sessions", "count", false, "tracked connections"),
        new(Metric.RateLimitHitsTotal, "rate_limit_hits_total", "count", true, "packets held back by rate limits"),
        new(Metric.FirewallDropsTotal, "firewall_drops_total", "count", true, "packets denied by firewall rules"),
        new(Metric.AttestationOk, "attestation_ok", "bool", false, "1 when the host's root of trust attested"),
        new(Metric.TxBytesTotal, "tx_bytes_total", "B", true, "bytes transmitted since the counter started (rate → tx_gbps)"),
        new(Metric.RxBytesTotal, "rx_bytes_total", "B", true, "bytes received since the counter started (rate → rx_gbps)"),
        new(Metric.ErrorsTotal, "errors_total", "count", true, "receive/port errors the device reports (OpenConfig in-errors, hw.errors)"),
    ];

    private static readonly FrozenDictionary<string, Metric> ByName =
        Infos.ToFrozenDictionary(i => i.Name, i => i.Metric, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, Metric>.AlternateLookup<ReadOnlySpan<char>> ByNameSpan =
        ByName.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly Metric[][] Layouts = BuildLayouts();

    // slot of a metric within its kind's array, -1 when the kind does not hold it
    private static readonly sbyte[][] Slots = BuildSlots();

    public static IReadOnlyList<MetricInfo> All => Infos;

    public static MetricInfo Info(Metric metric) => Infos[(int)metric];

    public static string Name(this Metric metric) => Infos[(int)metric].Name;

    public static bool TryParse(string name, out Metric metric) => ByName.TryGetValue(name, out metric);

    public static bool TryParse(ReadOnlySpan<char> name, out Metric metric) => ByNameSpan.TryGetValue(name, out metric);

    /// <summary>The metrics a device of <paramref name="kind"/> mirrors, in slot order.</summary>
    public static ReadOnlySpan<Metric> Layout(DeviceKind kind) => Layouts[(int)kind];

    /// <summary>Slot of <paramref name="metric"/> in the state of a <paramref name="kind"/> device, or -1.</summary>
    public static int Slot(DeviceKind kind, Metric metric) => Slots[(int)kind][(int)metric];

    private static Metric[][] BuildLayouts()
    {
        var layouts = new Metric[Enum.GetValues<DeviceKind>().Length][];
        layouts[(int)DeviceKind.Gpu] =
        [
            Metric.TemperatureC, Metric.PowerW, Metric.Utilization, Metric.Online, Metric.SmClockMhz, Metric.MemClockMhz,
            Metric.MemoryTemperatureC, Metric.MemoryUsedMiB, Metric.MemoryFreeMiB, Metric.EnergyJ, Metric.EccSbeTotal,
            Metric.EccDbeTotal, Metric.Xid, Metric.NvlinkErrorsTotal, Metric.NvlinkBandwidthGbps, Metric.PcieReplayTotal,
            Metric.RowRemapPending, Metric.RowRemapFailure, Metric.TensorActive,
        ];
        layouts[(int)DeviceKind.Switch] =
        [
            Metric.TemperatureC, Metric.PowerW, Metric.Utilization, Metric.Online, Metric.PortsDown, Metric.BufferUsedPct,
            Metric.DropsPerSecond, Metric.EcnMarksPerSecond, Metric.PfcPausesPerSecond, Metric.TxGbps, Metric.RxGbps,
        ];
        layouts[(int)DeviceKind.Link] =
        [
            Metric.TemperatureC, Metric.PowerW, Metric.Utilization, Metric.RxPowerDbm, Metric.TxPowerDbm, Metric.LaserBiasMa,
            Metric.PreFecBer, Metric.FecCorrectedTotal, Metric.FecUncorrectableTotal, Metric.OperUp, Metric.FlapsTotal,
            Metric.TxGbps, Metric.RxGbps, Metric.SymbolErrorsTotal, Metric.TxBytesTotal, Metric.RxBytesTotal, Metric.ErrorsTotal,
        ];
        layouts[(int)DeviceKind.Storage] =
        [
            Metric.TemperatureC, Metric.PowerW, Metric.Utilization, Metric.Online, Metric.ReadGBps, Metric.WriteGBps,
            Metric.Iops, Metric.LatencyP99Ms, Metric.UsedTB,
        ];
        layouts[(int)DeviceKind.Dpu] =
        [
            Metric.TemperatureC, Metric.PowerW, Metric.Utilization, Metric.Online, Metric.ConntrackSessions,
            Metric.RateLimitHitsTotal, Metric.FirewallDropsTotal, Metric.DropsPerSecond, Metric.AttestationOk,
            Metric.TxGbps, Metric.RxGbps,
        ];
        layouts[(int)DeviceKind.Dci] =
        [
            Metric.Utilization, Metric.OperUp, Metric.TxGbps, Metric.RxGbps, Metric.LatencyMs, Metric.LossPct,
            Metric.PreFecBer, Metric.RxPowerDbm, Metric.FlapsTotal, Metric.TxBytesTotal, Metric.RxBytesTotal,
        ];
        return layouts;
    }

    private static sbyte[][] BuildSlots()
    {
        var metrics = Infos.Length;
        var slots = new sbyte[Layouts.Length][];
        for (var k = 0; k < Layouts.Length; k++)
        {
            slots[k] = Enumerable.Repeat((sbyte)-1, metrics).ToArray();
            for (var s = 0; s < Layouts[k].Length; s++)
            {
                slots[k][(int)Layouts[k][s]] = (sbyte)s;
            }
        }
        return slots;
    }
}
