using Twin.Model.Fabric;

namespace Twin.Model.Planning;

/// <summary>
/// The figures the fabric planner assumes; every one can be overridden with <c>with { … }</c>.
/// </summary>
public sealed record PlanParameters
{
    /// <summary>Default figures (sources on each property and on <see cref="OpticsTechnology.Defaults"/>).</summary>
    public static PlanParameters Default { get; } = new();

    /// <summary>Per-technology power, latency and reach.</summary>
    public IReadOnlyDictionary<OpticType, OpticsTechnology> Optics { get; init; } = OpticsTechnology.Defaults;

    /// <summary>
    /// Switch ASIC power per Tbps of silicon. A 51.2T Tomahawk 5 / Spectrum-4 class ASIC draws
    /// ≈ 500 W, i.e. ≈ 10 W/Tbps; applied to 102.4T it gives ≈ 1 kW, slightly pessimistic for
    /// newer process nodes. Fans and CPU of the switch box are not included.
    /// </summary>
    public double SwitchWattsPerTbps { get; init; } = 10.0;

    /// <summary>
    /// Port-to-port forwarding latency of one switch. Cut-through Ethernet/InfiniBand ASICs
    /// quote ≈ 300–600 ns; take 400 ns.
    /// </summary>
    public double SwitchLatencyNs { get; init; } = 400.0;

    /// <summary>Propagation in fibre (and, near enough, copper): 5 µs/km = 5 ns/m.</summary>
    public double PropagationNsPerM { get; init; } = FibrePropagation.MicrosecondsPerKm;

    /// <summary>Hours in an average year (365.25 days), for annual energy.</summary>
    public double HoursPerYear { get; init; } = 8_766.0;

    /// <summary>
    /// Lane speed co-packaged switches run at in <see cref="FabricPlanner.Compare"/>: 102.4T at 200G
    /// gives radix 512. Null keeps the request's port speed so CPO is compared at the same radix.
    /// </summary>
    public double? CpoLaneGbps { get; init; } = 200.0;
}
