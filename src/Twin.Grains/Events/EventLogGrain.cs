using Microsoft.Extensions.Options;
using Twin.Contracts.Events;

namespace Twin.Grains.Events;

/// <summary>
/// The factory's bounded, ordered event history (a ring in embedded mode). Assigns the factory-wide
/// sequence, drops events whose producer id it already holds, and wakes long-polling readers (SSE).
/// </summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class EventLogGrain(IOptions<EventHistoryOptions> options) : Grain, IEventLogGrain
{
    private readonly TwinEvent?[] _ring = new TwinEvent?[Math.Max(16, options.Value.Capacity)];
    private readonly Dictionary<string, long> _ids = new(StringComparer.Ordinal);
    private long _last;
    private TaskCompletionSource<long> _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private long Oldest => Math.Max(1, _last - _ring.Length + 1);

    public ValueTask<long> Append(TwinEvent[] events)
    {
        var added = false;
        foreach (var e in events)
        {
            if (_ids.ContainsKey(e.Id))
            {
                continue;
            }
            var seq = ++_last;
            var slot = (int)(seq % _ring.Length);
            if (_ring[slot] is { } evicted)
            {
                _ids.Remove(evicted.Id);
            }
            _ring[slot] = e with { Sequence = seq };
            _ids[e.Id] = seq;
            added = true;
        }
        if (added)
        {
            var changed = _changed;
            _changed = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.TrySetResult(_last);
        }
        return ValueTask.FromResult(_last);
    }

    public ValueTask<EventPage> Read(long since, int limit, EventFilter filter)
    {
        var items = new List<TwinEvent>(Math.Min(limit, 256));
        for (var seq = Math.Max(since + 1, Oldest); seq <= _last && items.Count < limit; seq++)
        {
            var e = _ring[(int)(seq % _ring.Length)]!;
            if (filter.Matches(e))
            {
                items.Add(e);
            }
        }
        return ValueTask.FromResult(new EventPage(items, _last == 0 ? 0 : Oldest, _last));
    }

    public async Task<long> WaitForEvents(long since, TimeSpan timeout)
    {
        if (_last > since)
        {
            return _last;
        }
        var changed = _changed.Task;
        await Task.WhenAny(changed, Task.Delay(timeout));
        return _last;
    }
}
