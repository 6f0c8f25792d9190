namespace Twin.Model.Telemetry;

/// <summary>
/// A bounded ring of recent (time, value) points of one metric: 12 bytes a point, allocated only for
/// metrics a device actually reports. Points closer than <see cref="MinSpacing"/> to the previous one
/// replace it, so a burst of samples does not push out the history.
/// </summary>
public sealed class HistoryRing(int capacity, TimeSpan minSpacing)
{
    private readonly long[] _ticks = new long[capacity];
    private readonly float[] _values = new float[capacity];
    private int _start;
    private int _count;

    public TimeSpan MinSpacing { get; } = minSpacing;

    public int Count => _count;

    public void Add(DateTimeOffset time, double value)
    {
        var ticks = time.UtcTicks;
        if (_count > 0)
        {
            var lastIndex = (_start + _count - 1) % _ticks.Length;
            var last = _ticks[lastIndex];
            if (ticks < last)
            {
                return; // out of order: history stays ordered
            }
            if (ticks - last < MinSpacing.Ticks)
            {
                _ticks[lastIndex] = ticks;
                _values[lastIndex] = (float)value;
                return;
            }
        }
        var index = (_start + _count) % _ticks.Length;
        _ticks[index] = ticks;
        _values[index] = (float)value;
        if (_count < _ticks.Length)
        {
            _count++;
        }
        else
        {
            _start = (_start + 1) % _ticks.Length;
        }
    }

    /// <summary>Points with since ≤ time ≤ until, oldest first.</summary>
    public IEnumerable<(DateTimeOffset Time, double Value)> Range(DateTimeOffset? since, DateTimeOffset? until)
    {
        var from = since?.UtcTicks ?? long.MinValue;
        var to = until?.UtcTicks ?? long.MaxValue;
        for (var i = 0; i < _count; i++)
        {
            var index = (_start + i) % _ticks.Length;
            if (_ticks[index] >= from && _ticks[index] <= to)
            {
                yield return (new DateTimeOffset(_ticks[index], TimeSpan.Zero), _values[index]);
            }
        }
    }
}
