using Twin.Contracts.Events;

namespace Twin.Grains.Events;

/// <summary>
/// Where the factory's event history lives. The <see cref="EventLogGrain"/> is the only writer and
/// calls it one batch at a time, so an implementation assigns sequences without racing itself:
/// dense (no gaps), increasing, and each event id stored at most once.
/// </summary>
public interface IEventStore
{
    /// <summary>Loads what the store needs to answer (last and oldest sequence); called once per activation.</summary>
    Task Open(CancellationToken cancellationToken);

    /// <summary>The last sequence stored, 0 for an empty history.</summary>
    long Last { get; }

    /// <summary>Stores the events whose ids are new, in order, and returns how many were added.</summary>
    Task<int> Append(IReadOnlyList<TwinEvent> events, CancellationToken cancellationToken);

    /// <summary>Events after <paramref name="since"/> (exclusive) matching the filter, oldest first.</summary>
    Task<EventPage> Read(long since, int limit, EventFilter filter, CancellationToken cancellationToken);
}
