namespace Twin.Model.Workloads;

/// <summary>
/// One training step: compute, data-parallel communication (hierarchical and flat-ring alternatives), what of it is
/// exposed, the step and its throughput and MFU (model FLOPs over the dense peak of the job's precision); then the
/// parts of the pipeline: the bubble's share of compute, tensor- and pipeline-parallel communication per step, the
/// micro-batches the schedule runs and the compute the DP all-reduce could hide behind.
/// </summary>
public sealed record StepEstimate(
    double ComputeSeconds,
    double WithinSiteCommSeconds,
    double CrossSiteCommSeconds,
    double ExposedCommSeconds,
    double FlatRingCommSeconds,
    double StepSeconds,
    double FlatRingStepSeconds,
    double TokensPerSecond,
    double Mfu,
    double BubbleFraction = 0,
    double TensorParallelSeconds = 0,
    double PipelineParallelSeconds = 0,
    int MicroBatches = 1,
    double OverlapWindowSeconds = 0);
