namespace Twin.Model.Security;

/// <summary>
/// Connection tracking with a table limit and an idle timeout, in event time: a flow of a tracked connection passes
/// without a new rule lookup; a connection idle longer than the timeout is forgotten; when the table is full the
/// connection idle longest is evicted to make room (and counted).
/// </summary>
public sealed class ConnectionTracker(int capacity, TimeSpan idleTimeout)
{
    private readonly Dictionary<(FlowProtocol, System.Net.IPAddress, int, System.Net.IPAddress, int), DateTimeOffset> _seen = [];

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    public TimeSpan IdleTimeout { get; } = idleTimeout;

    public int Count => _seen.Count;

    public long Evicted { get; private set; }

    public long Expired { get; private set; }

    /// <summary>True when the flow belongs to a connection tracked and not idle too long; refreshes it.</summary>
    public bool Established(Flow flow)
    {
        if (_seen.TryGetValue(flow.Key, out var last) && flow.At - last <= IdleTimeout)
        {
            _seen[flow.Key] = flow.At > last ? flow.At : last;
            return true;
        }
        return false;
    }

    /// <summary>Starts tracking an allowed flow's connection.</summary>
    public void Track(Flow flow)
    {
        foreach (var stale in _seen.Where(e => flow.At - e.Value > IdleTimeout).Select(e => e.Key).ToList())
        {
            _seen.Remove(stale);
            Expired++;
        }
        if (!_seen.ContainsKey(flow.Key) && _seen.Count >= Capacity)
        {
            var oldest = _seen.MinBy(e => e.Value).Key;
            _seen.Remove(oldest);
            Evicted++;
        }
        _seen[flow.Key] = flow.At;
    }
}
