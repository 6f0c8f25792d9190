using Microsoft.Extensions.Options;
using Twin.Contracts.Events;

namespace Twin.Grains.Events;

/// <summary>
/// The embedded mode's history: a ring of the last <see cref="EventHistoryOptions.Capacity"/> events
/// in the event log activation's memory. Ids of evicted events are forgotten with them.
/// </summary>
public sealed class MemoryEventStore(IOptions<EventHistoryOptions> options) : IEventStore
{
    private readonly TwinEvent?[] _ring = new TwinEvent?[Math.Max(16, options.Value.Capacity)];
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private long _last;

    public long Last => _last;

    private long Oldest => Math.Max(1, _last - _ring.Length + 1);

    public Task Open(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<int> Append(IReadOnlyList<TwinEvent> events, CancellationToken cancellationToken)
    {
        var added = 0;
        foreach (var e in events)
        {
            if (!_ids.Add(e.Id))
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
            added++;
        }
        return Task.FromResult(added);
    }

    public Task<EventPage> Read(long since, int limit, EventFilter filter, CancellationToken cancellationToken)
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
        return Task.FromResult(new EventPage(items, _last == 0 ? 0 : Oldest, _last));
    }
}
