namespace Twin.Model.Reliability;

/// <summary>
/// What a checkpoint costs the training, δ in Young/Daly: the time the GPUs stop for it. A synchronous write stops
/// them until the whole checkpoint is on storage, size / min(storage write, GPUs' NICs); an asynchronous one
/// (PyTorch DCP async save, Megatron's async checkpointing) stops them only to copy each GPU's shard to host memory
/// over PCIe, and drains to storage behind training — it costs bandwidth, not time.
/// </summary>
public static class CheckpointCost
{
    /// <summary>Device-to-host copy a GPU sustains over PCIe Gen5 x16 (≈ 64 GB/s raw, ≈ 50 achieved).</summary>
    public const double DefaultDeviceToHostBytesPerSecond = 50e9;

    /// <summary>Seconds the job stops per checkpoint.</summary>
    public static double BlockingSeconds(double checkpointBytes, int gpus, double storageWriteBytesPerSecond, double fabricBytesPerSecond,
        bool asynchronous, double deviceToHostBytesPerSecond = DefaultDeviceToHostBytesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(checkpointBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(gpus, 1);
        if (!(storageWriteBytesPerSecond > 0 && fabricBytesPerSecond > 0 && deviceToHostBytesPerSecond > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(storageWriteBytesPerSecond), "bandwidths must be > 0");
        }
        return asynchronous
            ? checkpointBytes / gpus / deviceToHostBytesPerSecond
            : checkpointBytes / Math.Min(storageWriteBytesPerSecond, fabricBytesPerSecond);
    }

    /// <summary>Young/Daly interval for that cost.</summary>
    public static TimeSpan OptimalInterval(double blockingSeconds, TimeSpan mtbf) =>
        YoungDaly.OptimalInterval(TimeSpan.FromSeconds(blockingSeconds), mtbf);
}
