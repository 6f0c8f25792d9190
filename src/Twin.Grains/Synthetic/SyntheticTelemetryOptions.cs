namespace Twin.Grains.Synthetic;

/// <summary>Built-in telemetry so a fresh twin is alive at once (<c>Twin:Synthetic</c>).</summary>
public sealed class SyntheticTelemetryOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Time between rounds.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Devices refreshed per round; a large topology is covered over several rounds.</summary>
    public int DevicesPerRound { get; set; } = 20_000;

    /// <summary>Chance per round that one device starts an anomaly (hot GPU, weak optic, slow storage, XID).</summary>
    public double AnomalyProbability { get; set; } = 0.15;

    /// <summary>Rounds an anomaly lasts before the device recovers.</summary>
    public int AnomalyRounds { get; set; } = 10;

    public int Seed { get; set; } = 42;

    /// <summary>
    /// Rounds are skipped while real telemetry arrived within this window (0: never skip). Synthetic readings would
    /// overwrite the real ones, and on a small machine each round's grain calls take cores from the real feed.
    /// </summary>
    public TimeSpan PauseAfterRealTelemetry { get; set; } = TimeSpan.FromSeconds(30);
}
