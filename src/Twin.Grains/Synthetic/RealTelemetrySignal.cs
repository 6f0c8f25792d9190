namespace Twin.Grains.Synthetic;

/// <summary>
/// When real telemetry (an ingest endpoint, remote write, a scrape target) last reached the twin, so the synthetic
/// source can step aside: synthetic rounds would overwrite real readings of the same devices, and on a small
/// machine they take cores from the real feed. One singleton per host; cheap to touch on every batch.
/// </summary>
public sealed class RealTelemetrySignal(TimeProvider time)
{
    private long _lastTimestamp = long.MinValue;

    public void Arrived() => Volatile.Write(ref _lastTimestamp, time.GetTimestamp());

    /// <summary>True when real telemetry arrived within <paramref name="window"/>.</summary>
    public bool ArrivedWithin(TimeSpan window)
    {
        var last = Volatile.Read(ref _lastTimestamp);
        return last != long.MinValue && time.GetElapsedTime(last) <= window;
    }
}
