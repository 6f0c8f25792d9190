using Twin.Model.Telemetry;

namespace Twin.Telemetry.Mapping;

/// <summary>
/// Where one source metric name lands in the canonical vocabulary, and how its value converts.
/// </summary>
/// <param name="Metric">Canonical metric.</param>
/// <param name="Scale">Unit conversion factor (DCGM percent → ratio is 0.01, mJ → J is 0.001).</param>
/// <param name="Rule">Value rule; most names are plainly scaled.</param>
/// <param name="OnNic">The series describes a host adapter port (node_exporter InfiniBand, <c>hw.network.*</c>), so the
/// device is that port's GPU NIC link rather than the host's GPU.</param>
/// <param name="Priority">When two names feed one metric in one batch at the same instant the higher priority wins
/// (DCGM's profiling engine-active ratio beats the coarser GPU_UTIL percent).</param>
public sealed record MetricMapping(Metric Metric, double Scale = 1, MappingRule Rule = MappingRule.Scaled, bool OnNic = false, byte Priority = 0)
{
    /// <summary>Second metric for <see cref="MappingRule.ByDirection"/> (the receive side).</summary>
    public Metric Alternate { get; init; }

    /// <summary>Source value meaning "up" for <see cref="MappingRule.UpWhenEquals"/>.</summary>
    public double UpValue { get; init; } = 1;

    /// <summary>The canonical value for a plain source value (rules that need attributes are settled by the reader).</summary>
    public double Convert(double source) => Rule switch
    {
        MappingRule.UpWhenEquals => source == UpValue ? 1 : 0,
        _ => source * Scale,
    };
}
