namespace Twin.Model.Storage;

/// <summary>
/// Checkpoint bursts as a pipe: every rank writes (or, on recovery, reads) at once, so the burst runs at the
/// narrowest of the storage's aggregate bandwidth, the fabric bandwidth towards storage and, when the
/// checkpoint lives at another site, the DCI. Time = size / min(…). On a tie the earlier of storage, fabric,
/// DCI is named the bottleneck.
/// </summary>
public static class CheckpointTraffic
{
    /// <summary>Restore after a failure: read the whole checkpoint.</summary>
    public static CheckpointBurst Restore(double checkpointBytes, double storageReadBytesPerSecond, double fabricBytesPerSecond,
        double? dciBytesPerSecond = null) =>
        Burst(checkpointBytes, storageReadBytesPerSecond, fabricBytesPerSecond, dciBytesPerSecond);

    /// <summary>Periodic checkpoint: write the whole checkpoint.</summary>
    public static CheckpointBurst Write(double checkpointBytes, double storageWriteBytesPerSecond, double fabricBytesPerSecond,
        double? dciBytesPerSecond = null) =>
        Burst(checkpointBytes, storageWriteBytesPerSecond, fabricBytesPerSecond, dciBytesPerSecond);

    private static CheckpointBurst Burst(double bytes, double storage, double fabric, double? dci)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Positive(storage, "storage bandwidth");
        Positive(fabric, "fabric bandwidth");
        var (rate, bottleneck) = storage <= fabric ? (storage, BurstBottleneck.Storage) : (fabric, BurstBottleneck.Fabric);
        if (dci is { } crossSite)
        {
            Positive(crossSite, "DCI bandwidth");
            if (crossSite < rate)
            {
                (rate, bottleneck) = (crossSite, BurstBottleneck.Dci);
            }
        }
        return new CheckpointBurst(TimeSpan.FromSeconds(bytes / rate), rate, bottleneck);
    }

    private static void Positive(double value, string what)
    {
        if (!(value > 0))
        {
            throw new ArgumentOutOfRangeException(what, value, $"{what} must be > 0");
        }
    }
}
