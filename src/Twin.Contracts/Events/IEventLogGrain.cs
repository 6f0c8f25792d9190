using Orleans.Concurrency;

namespace Twin.Contracts.Events;

/// <summary>The factory's ordered event history (key <c>factory</c>): append, read after a sequence, wait for more.</summary>
[Alias("twin.event-log")]
public interface IEventLogGrain : IGrainWithStringKey
{
    /// <summary>Stores events in order, assigning sequences; events whose id was already stored are skipped.</summary>
    ValueTask<long> Append(TwinEvent[] events);

    ValueTask<EventPage> Read(long since, int limit, EventFilter filter);

    /// <summary>Completes when an event after <paramref name="since"/> exists or the timeout passes; returns the last sequence.</summary>
    [AlwaysInterleave]
    Task<long> WaitForEvents(long since, TimeSpan timeout);
}
