namespace Twin.Grains.Devices;

/// <summary>Per-device telemetry history (<c>Twin:History</c>).</summary>
public sealed class HistoryOptions
{
    /// <summary>Points kept per metric per device (12 bytes each; allocated only for reported metrics).</summary>
    public int Capacity { get; set; } = 120;

    /// <summary>Closer points replace the previous one: the history's resolution.</summary>
    public TimeSpan Resolution { get; set; } = TimeSpan.FromSeconds(1);
}
