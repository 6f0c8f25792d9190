using Twin.Model.Fabric;

namespace Twin.Model.Planning;

/// <summary>One request planned with DSP, LPO and CPO optics, side by side (see <see cref="FabricPlanner.Compare"/>).</summary>
public sealed record FabricComparison(PlanComparisonRow Dsp, PlanComparisonRow Lpo, PlanComparisonRow Cpo);

/// <summary>One technology's plan and what it saves against DSP (positive = less than DSP).</summary>
public sealed record PlanComparisonRow(OpticType Optics, FabricPlan Plan, double OpticsPowerSavingPct, double FabricPowerSavingPct, double LatencySavingNs);
