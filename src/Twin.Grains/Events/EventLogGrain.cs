using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twin.Contracts.Events;
using Twin.Grains.Persistence;

namespace Twin.Grains.Events;

/// <summary>
/// The factory's ordered event history: the single writer of an <see cref="IEventStore"/> (a ring in
/// embedded mode, PostgreSQL in the cluster profile). It drops events whose producer id it saw lately
/// without asking the store, and wakes long-polling readers (SSE) once a batch is stored — never before,
/// so a reader is only ever shown history that survives this activation.
/// While the store is unreachable (PostgreSQL restarting) appends are held here in order, up to the
/// history's capacity, so telemetry keeps being mirrored; they are stored, numbered and shown to readers
/// when the store answers again. Beyond the capacity an append fails and its caller is told to retry.
/// </summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class EventLogGrain(IEventStore store, IOptions<EventHistoryOptions> options, ILogger<EventLogGrain> log) : Grain, IEventLogGrain
{
    private const int CatchUpBatch = 1000;
    private static readonly TimeSpan CatchUpEvery = TimeSpan.FromSeconds(1);
    private readonly List<TwinEvent> _held = [];
    private IGrainTimer? _catchUp;

    // Producers repeat an append when a call is retried or a change is reported twice (device, then
    // coordinator); remembering recent ids keeps those repeats off the store.
    private const int RecentIds = 4096;
    private readonly HashSet<string> _recent = new(StringComparer.Ordinal);
    private readonly Queue<string> _recentOrder = new();
    private TaskCompletionSource<long> _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Task OnActivateAsync(CancellationToken cancellationToken) => store.Open(cancellationToken);

    public async ValueTask<long> Append(TwinEvent[] events)
    {
        List<TwinEvent>? fresh = null;
        foreach (var e in events)
        {
            if (!_recent.Contains(e.Id))
            {
                (fresh ??= new List<TwinEvent>(events.Length)).Add(e);
            }
        }
        if (fresh is null)
        {
            return store.Last;
        }
        if (_held.Count > 0)
        {
            // nothing overtakes what is held: the sequence stays in arrival order
            Hold(fresh);
            return store.Last;
        }
        int added;
        try
        {
            added = await store.Append(fresh, CancellationToken.None);
        }
        catch (Exception e) when (StorageOutage.Is(e))
        {
            EventLogLog.StoreAway(log, fresh.Count, e.Message);
            Hold(fresh);
            return store.Last;
        }
        Stored(fresh, added);
        return store.Last;
    }

    private void Stored(List<TwinEvent> events, int added)
    {
        foreach (var e in events)
        {
            Remember(e.Id);
        }
        if (added > 0)
        {
            var changed = _changed;
            _changed = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.TrySetResult(store.Last);
        }
    }

    private void Hold(List<TwinEvent> events)
    {
        if (_held.Count + events.Count > options.Value.Capacity)
        {
            // the caller's answer is a 503: the store did not take its events in time
            throw new TimeoutException($"the event store has been unreachable for {_held.Count:N0} events; this change is refused, retry later");
        }
        foreach (var e in events)
        {
            Remember(e.Id);
        }
        _held.AddRange(events);
        _catchUp ??= this.RegisterGrainTimer(static (grain, _) => grain.CatchUp(), this,
            new GrainTimerCreationOptions { DueTime = CatchUpEvery, Period = CatchUpEvery });
    }

    // the store is back when a held batch goes in; what is held goes in order, a batch per round trip
    private async Task CatchUp()
    {
        while (_held.Count > 0)
        {
            var batch = _held.Take(CatchUpBatch).ToList();
            int added;
            try
            {
                added = await store.Append(batch, CancellationToken.None);
            }
            catch (Exception e) when (StorageOutage.Is(e))
            {
                return;
            }
            _held.RemoveRange(0, batch.Count);
            Stored(batch, added);
        }
        EventLogLog.CaughtUp(log, store.Last);
        _catchUp?.Dispose();
        _catchUp = null;
    }

    public async ValueTask<EventPage> Read(long since, int limit, EventFilter filter) =>
        limit <= 0 || since >= store.Last
            ? await EmptyPage(filter)
            : await store.Read(since, limit, filter, CancellationToken.None);

    public async Task<long> WaitForEvents(long since, TimeSpan timeout)
    {
        if (store.Last > since)
        {
            return store.Last;
        }
        var changed = _changed.Task;
        await Task.WhenAny(changed, Task.Delay(timeout));
        return store.Last;
    }

    // Nothing after 'since': the store still says which sequence is the oldest it holds.
    private Task<EventPage> EmptyPage(EventFilter filter) => store.Read(long.MaxValue - 1, 0, filter, CancellationToken.None);

    private void Remember(string id)
    {
        if (!_recent.Add(id))
        {
            return;
        }
        _recentOrder.Enqueue(id);
        if (_recentOrder.Count > RecentIds)
        {
            _recent.Remove(_recentOrder.Dequeue());
        }
    }
}
