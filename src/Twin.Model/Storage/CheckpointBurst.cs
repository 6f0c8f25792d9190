namespace Twin.Model.Storage;

/// <summary>What limits a checkpoint burst.</summary>
public enum BurstBottleneck : byte
{
    Storage,
    Fabric,
    Dci,
}

/// <summary>A checkpoint write or restore: how long it takes, at what rate, and which resource sets that rate.</summary>
public sealed record CheckpointBurst(TimeSpan Duration, double BytesPerSecond, BurstBottleneck Bottleneck);
