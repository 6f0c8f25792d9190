using Twin.Contracts.Events;

namespace Twin.Grains.Events;

/// <summary>
/// The factory's ordered event history: the single writer of an <see cref="IEventStore"/> (a ring in
/// embedded mode, PostgreSQL in the cluster profile). It drops events whose producer id it saw lately
/// without asking the store, and wakes long-polling readers (SSE) once a batch is stored — never before,
/// so a reader is only ever shown history that survives this activation.
/// </summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class EventLogGrain(IEventStore store) : Grain, IEventLogGrain
{
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
        var added = await store.Append(fresh, CancellationToken.None);
        foreach (var e in fresh)
        {
            Remember(e.Id);
        }
        if (added > 0)
        {
            var changed = _changed;
            _changed = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.TrySetResult(store.Last);
        }
        return store.Last;
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
