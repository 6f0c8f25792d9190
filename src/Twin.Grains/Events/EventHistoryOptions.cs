namespace Twin.Grains.Events;

/// <summary>Bound of the in-memory event history (<c>Twin:Events</c>).</summary>
public sealed class EventHistoryOptions
{
    /// <summary>Events kept; older ones are dropped and readers behind them are told so.</summary>
    public int Capacity { get; set; } = 100_000;
}
