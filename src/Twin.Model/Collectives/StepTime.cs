namespace Twin.Model.Collectives;

/// <summary>
/// A training step: compute plus the communication compute cannot hide. Exposed comm =
/// max(0, comm − overlap·compute), where overlap is the fraction of compute that can run alongside
/// communication (e.g. gradient buckets all-reduced during the backward pass).
/// </summary>
public sealed record StepTime(double ComputeSeconds, double CommSeconds, double ExposedCommSeconds)
{
    public double TotalSeconds => ComputeSeconds + ExposedCommSeconds;

    /// <summary>Step time for <paramref name="commSeconds"/> of communication, <paramref name="overlapFraction"/> (0–1) of it hideable behind compute.</summary>
    public static StepTime Of(double computeSeconds, double commSeconds, double overlapFraction = 0.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(computeSeconds);
        ArgumentOutOfRangeException.ThrowIfNegative(commSeconds);
        if (overlapFraction is < 0 or > 1 or double.NaN)
        {
            throw new ArgumentOutOfRangeException(nameof(overlapFraction), overlapFraction, "overlap must be in [0, 1]");
        }
        return new StepTime(computeSeconds, commSeconds, Math.Max(0, commSeconds - overlapFraction * computeSeconds));
    }

    /// <summary>
    /// Step time with a hierarchical all-reduce, sites synchronising every <paramref name="syncEverySteps"/>
    /// steps (bounded staleness / local SGD): the cross-site term is amortised over those steps.
    /// </summary>
    public static StepTime Of(double computeSeconds, AllReduceBreakdown allReduce, double overlapFraction = 0.0, int syncEverySteps = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(syncEverySteps, 1);
        return Of(computeSeconds, allReduce.WithinSiteSeconds + allReduce.CrossSiteSeconds / syncEverySteps, overlapFraction);
    }
}
