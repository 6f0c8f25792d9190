namespace Twin.Model.Reliability;

/// <summary>
/// Young's (1974) first-order optimum checkpoint interval, as Daly (2006) refined it for small write costs:
/// τ ≈ √(2·δ·MTBF), where δ is the time to write a checkpoint.
/// </summary>
public static class YoungDaly
{
    /// <summary>Compute time between checkpoints that minimises expected waste.</summary>
    public static TimeSpan OptimalInterval(TimeSpan checkpointWrite, TimeSpan mtbf)
    {
        if (checkpointWrite <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(checkpointWrite), checkpointWrite, "checkpoint write time must be > 0");
        }
        if (mtbf <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(mtbf), mtbf, "MTBF must be > 0");
        }
        return TimeSpan.FromSeconds(Math.Sqrt(2 * checkpointWrite.TotalSeconds * mtbf.TotalSeconds));
    }
}
