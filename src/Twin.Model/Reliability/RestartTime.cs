namespace Twin.Model.Reliability;

/// <summary>
/// Time from a detected failure to every rank running again, before the checkpoint is read: a fixed part (reschedule,
/// container and process start) plus communicator set-up that grows with the ranks (rendezvous, NCCL bootstrap and
/// connection set-up). MegaScale (NSDI'24, §4) brought the latter to under 30 s on more than 10,000 GPUs (from
/// 1,047 s on 2,048 before its fixes): ≈ 2.4 ms per rank. A job that pays the unoptimised cost passes its own.
/// </summary>
public static class RestartTime
{
    public static readonly TimeSpan DefaultFixed = TimeSpan.FromMinutes(5);

    public const double DefaultSecondsPerRank = 30.0 / 12_288;

    /// <summary>Restart of a job on <paramref name="gpus"/> ranks.</summary>
    public static TimeSpan For(int gpus, TimeSpan? fixedPart = null, double secondsPerRank = DefaultSecondsPerRank)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gpus, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(secondsPerRank);
        return (fixedPart ?? DefaultFixed) + TimeSpan.FromSeconds(gpus * secondsPerRank);
    }
}
