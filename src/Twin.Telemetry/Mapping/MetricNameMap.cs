using System.Collections.Frozen;
using Twin.Model.Telemetry;

namespace Twin.Telemetry.Mapping;

/// <summary>
/// Source metric names → canonical <see cref="Metric"/>s with unit conversion: DCGM fields (dcgm-exporter),
/// node_exporter InfiniBand counters, OpenConfig interface leaves, OpenTelemetry <c>hw.*</c> names, and the twin's
/// own canonical names. Names not in the table are not errors: exporters send hundreds of series the twin does
/// not mirror, so readers count them as skipped.
/// </summary>
public sealed class MetricNameMap
{
    private readonly FrozenDictionary<string, MetricMapping> _byName;
    private readonly FrozenDictionary<string, MetricMapping>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public MetricNameMap(IReadOnlyDictionary<string, string>? extra = null)
    {
        var map = new Dictionary<string, MetricMapping>(StringComparer.Ordinal);
        foreach (var info in MetricCatalog.All)
        {
            map[info.Name] = new MetricMapping(info.Metric);
        }
        foreach (var (name, mapping) in BuiltIn())
        {
            map[name] = mapping;
        }
        foreach (var (source, canonical) in extra ?? new Dictionary<string, string>())
        {
            if (!MetricCatalog.TryParse(canonical, out var metric))
            {
                throw new ArgumentException($"Telemetry:ExtraMetricNames:{source} names '{canonical}', which is not a canonical metric.", nameof(extra));
            }
            map[source] = new MetricMapping(metric);
        }
        _byName = map.ToFrozenDictionary(StringComparer.Ordinal);
        _bySpan = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Every source name the map knows (for documentation and tests).</summary>
    public IEnumerable<string> Names => _byName.Keys;

    public bool TryGet(string name, out MetricMapping mapping) => TryGet(name.AsSpan(), out mapping);

    /// <summary>Looks a name up; OpenConfig paths (<c>/interfaces/interface/state/counters/in-octets</c>) match on their last segment.</summary>
    public bool TryGet(ReadOnlySpan<char> name, out MetricMapping mapping)
    {
        if (_bySpan.TryGetValue(name, out mapping!))
        {
            return true;
        }
        var slash = name.LastIndexOf('/');
        return slash >= 0 && _bySpan.TryGetValue(name[(slash + 1)..], out mapping!);
    }

    private static IEnumerable<KeyValuePair<string, MetricMapping>> BuiltIn()
    {
        static KeyValuePair<string, MetricMapping> M(string name, MetricMapping m) => new(name, m);

        // dcgm-exporter (DCGM field names); units per NVIDIA's field documentation
        yield return M("DCGM_FI_DEV_GPU_UTIL", new(Metric.Utilization, 0.01));          // percent
        yield return M("DCGM_FI_PROF_GR_ENGINE_ACTIVE", new(Metric.Utilization, Priority: 1)); // ratio, finer than GPU_UTIL
        yield return M("DCGM_FI_DEV_SM_CLOCK", new(Metric.SmClockMhz));
        yield return M("DCGM_FI_DEV_MEM_CLOCK", new(Metric.MemClockMhz));
        yield return M("DCGM_FI_DEV_GPU_TEMP", new(Metric.TemperatureC));
        yield return M("DCGM_FI_DEV_MEMORY_TEMP", new(Metric.MemoryTemperatureC));
        yield return M("DCGM_FI_DEV_POWER_USAGE", new(Metric.PowerW));
        yield return M("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", new(Metric.EnergyJ, 0.001));  // mJ
        yield return M("DCGM_FI_DEV_FB_USED", new(Metric.MemoryUsedMiB));
        yield return M("DCGM_FI_DEV_FB_FREE", new(Metric.MemoryFreeMiB));
        yield return M("DCGM_FI_DEV_PCIE_REPLAY_COUNTER", new(Metric.PcieReplayTotal));
        yield return M("DCGM_FI_DEV_XID_ERRORS", new(Metric.Xid));                         // value = last XID
        yield return M("DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", new(Metric.EccDbeTotal));
        yield return M("DCGM_FI_DEV_ECC_SBE_VOL_TOTAL", new(Metric.EccSbeTotal));
        yield return M("DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS", new(Metric.RowRemapPending));
        yield return M("DCGM_FI_DEV_ROW_REMAP_FAILURE", new(Metric.RowRemapFailure));
        yield return M("DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL", new(Metric.NvlinkBandwidthGbps, 0.008)); // MB/s → Gb/s
        yield return M("DCGM_FI_PROF_PIPE_TENSOR_ACTIVE", new(Metric.TensorActive));     // ratio

        // node_exporter InfiniBand collector (per adapter port)
        yield return M("node_infiniband_port_data_transmitted_bytes_total", new(Metric.TxBytesTotal, OnNic: true));
        yield return M("node_infiniband_port_data_received_bytes_total", new(Metric.RxBytesTotal, OnNic: true));
        yield return M("node_infiniband_symbol_error_total", new(Metric.SymbolErrorsTotal, OnNic: true));
        yield return M("node_infiniband_link_downed_total", new(Metric.FlapsTotal, OnNic: true));
        yield return M("node_infiniband_port_errors_received_total", new(Metric.ErrorsTotal, OnNic: true));
        yield return M("node_infiniband_state_id", new(Metric.OperUp, Rule: MappingRule.UpWhenEquals, OnNic: true) { UpValue = 4 }); // 4 = ACTIVE

        // OpenConfig interface state leaves (gNMI)
        yield return M("in-octets", new(Metric.RxBytesTotal));
        yield return M("out-octets", new(Metric.TxBytesTotal));
        yield return M("in-errors", new(Metric.ErrorsTotal));
        yield return M("oper-status", new(Metric.OperUp, Rule: MappingRule.UpWhenEquals));  // UP = 1

        // OpenTelemetry hardware semantic conventions
        yield return M("hw.temperature", new(Metric.TemperatureC));
        yield return M("hw.power", new(Metric.PowerW));
        yield return M("hw.energy", new(Metric.EnergyJ));
        yield return M("hw.errors", new(Metric.ErrorsTotal));
        yield return M("hw.status", new(Metric.Online, Rule: MappingRule.HwStateOk));
        yield return M("hw.gpu.utilization", new(Metric.Utilization));                      // ratio
        yield return M("hw.gpu.memory.usage", new(Metric.MemoryUsedMiB, 1.0 / (1024 * 1024))); // bytes
        yield return M("hw.network.io", new(Metric.TxBytesTotal, Rule: MappingRule.ByDirection, OnNic: true) { Alternate = Metric.RxBytesTotal });
        yield return M("hw.network.up", new(Metric.OperUp, OnNic: true));
    }
}
