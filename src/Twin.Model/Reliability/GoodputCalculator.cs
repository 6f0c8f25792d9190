namespace Twin.Model.Reliability;

/// <summary>
/// Goodput = useful training time / wall time, measured after the fact or expected from a checkpoint
/// policy. The expected model is first order (Young 1974, Daly 2006): per unit of time a job spends δ/τ
/// writing checkpoints, and each failure (rate 1/MTBF) loses on average half an interval of work plus the
/// restart (detect, reschedule, restore): waste ≈ δ/τ + τ/(2·MTBF) + R/MTBF. Valid while δ, τ, R ≪ MTBF.
/// </summary>
public static class GoodputCalculator
{
    /// <summary>Goodput of a finished run: (wall − lost work − restart time − checkpoint time) / wall.</summary>
    public static double Measured(TimeSpan wall, TimeSpan lostWork, TimeSpan restart, TimeSpan checkpointing = default)
    {
        if (wall <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(wall), wall, "wall time must be > 0");
        }
        var useful = wall - lostWork - restart - checkpointing;
        return Math.Clamp(useful / wall, 0.0, 1.0);
    }

    /// <summary>Expected fraction of wall time lost: δ/τ + τ/(2·MTBF) + R/MTBF.</summary>
    public static double WasteFraction(TimeSpan interval, TimeSpan mtbf, TimeSpan checkpointWrite, TimeSpan restart)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "checkpoint interval must be > 0");
        }
        if (mtbf <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(mtbf), mtbf, "MTBF must be > 0");
        }
        return checkpointWrite / interval + interval / (2 * mtbf) + restart / mtbf;
    }

    /// <summary>Expected goodput, 1 − waste, floored at 0.</summary>
    public static double Expected(TimeSpan interval, TimeSpan mtbf, TimeSpan checkpointWrite, TimeSpan restart) =>
        Math.Max(0.0, 1.0 - WasteFraction(interval, mtbf, checkpointWrite, restart));
}
