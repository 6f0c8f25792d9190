namespace Twin.Model.Workloads;

/// <summary>One training step: compute, communication (hierarchical and flat-ring alternatives), what is exposed.</summary>
public sealed record StepEstimate(
    double ComputeSeconds,
    double WithinSiteCommSeconds,
    double CrossSiteCommSeconds,
    double ExposedCommSeconds,
    double FlatRingCommSeconds,
    double StepSeconds,
    double FlatRingStepSeconds,
    double TokensPerSecond,
    double Mfu);
