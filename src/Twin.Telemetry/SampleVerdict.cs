namespace Twin.Telemetry;

/// <summary>What <see cref="TelemetryBatchBuilder.Add"/> did with a sample.</summary>
public enum SampleVerdict : byte
{
    Accepted,
    NotFinite,
    InFuture,
    TooOld,
    NotHeldByKind,
}
