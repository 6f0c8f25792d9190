namespace Twin.Model.Workloads;

/// <summary>
/// Training reads its dataset as it goes: every step consumes tokens × bytes per token. Data loaders prefetch,
/// so reads hide behind compute while storage keeps up; when storage serves only a share of what the step
/// needs, the GPUs wait on the loader and the step stretches to the time the step's data takes to arrive.
/// </summary>
public static class DatasetReads
{
    public static double BytesPerStep(TrainingJobSpec spec) => spec.TokensPerStep * spec.DatasetBytesPerToken;

    /// <summary>What the loaders ask of storage while the job runs at <paramref name="stepSeconds"/>, bytes/s.</summary>
    public static double DemandBytesPerSecond(TrainingJobSpec spec, double stepSeconds) =>
        stepSeconds > 0 ? BytesPerStep(spec) / stepSeconds : 0;

    /// <summary>
    /// Step time when storage serves <paramref name="supply"/> (0..1] of the loaders' demand: reading a step's data
    /// takes step / supply, and the slower of reading and computing sets the pace.
    /// </summary>
    public static double StepSeconds(double stepSeconds, double supply) =>
        supply >= 1 ? stepSeconds : supply > 0 ? stepSeconds / supply : double.PositiveInfinity;
}
