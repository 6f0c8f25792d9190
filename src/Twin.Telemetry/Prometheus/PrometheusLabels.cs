namespace Twin.Telemetry.Prometheus;

/// <summary>The labels of one sample, located once by the parser; lookups compare raw name spans and allocate nothing.</summary>
public readonly ref struct PrometheusLabels
{
    private readonly ReadOnlySpan<byte> _line;
    private readonly ReadOnlySpan<LabelRange> _ranges;

    internal PrometheusLabels(ReadOnlySpan<byte> line, ReadOnlySpan<LabelRange> ranges)
    {
        _line = line;
        _ranges = ranges;
    }

    public int Count => _ranges.Length;

    public PrometheusLabel this[int index]
    {
        get
        {
            var r = _ranges[index];
            return new PrometheusLabel(_line.Slice(r.NameStart, r.NameLength), _line.Slice(r.ValueStart, r.ValueLength), r.Escaped);
        }
    }

    /// <summary>Finds a label by its UTF-8 name.</summary>
    public bool TryGet(ReadOnlySpan<byte> name, out PrometheusLabel label)
    {
        foreach (var r in _ranges)
        {
            if (_line.Slice(r.NameStart, r.NameLength).SequenceEqual(name))
            {
                label = new PrometheusLabel(_line.Slice(r.NameStart, r.NameLength), _line.Slice(r.ValueStart, r.ValueLength), r.Escaped);
                return true;
            }
        }
        label = default;
        return false;
    }

    public bool Contains(ReadOnlySpan<byte> name) => TryGet(name, out _);

    public Enumerator GetEnumerator() => new(this);

    /// <summary>Walks the labels in line order.</summary>
    public ref struct Enumerator(PrometheusLabels labels)
    {
        private readonly PrometheusLabels _labels = labels;
        private int _index = -1;

        public readonly PrometheusLabel Current => _labels[_index];

        public bool MoveNext() => ++_index < _labels.Count;
    }
}
