namespace Twin.Telemetry.Prometheus;

/// <summary>One sample line, as spans over the body: valid only during the visitor call.</summary>
public readonly ref struct PrometheusSample
{
    internal PrometheusSample(ReadOnlySpan<byte> name, ReadOnlySpan<byte> family, PrometheusMetricType type, PrometheusSeriesKind series,
        PrometheusLabels labels, double value, long? timestampMs, int line)
    {
        Name = name;
        Family = family;
        Type = type;
        Series = series;
        Labels = labels;
        Value = value;
        TimestampMs = timestampMs;
        Line = line;
    }

    /// <summary>Series name as written (<c>DCGM_FI_DEV_GPU_TEMP</c>, <c>rpc_seconds_bucket</c>).</summary>
    public ReadOnlySpan<byte> Name { get; }

    /// <summary>The family a <c># TYPE</c> line declared for it (<c>rpc_seconds</c>), or the name itself.</summary>
    public ReadOnlySpan<byte> Family { get; }

    public PrometheusMetricType Type { get; }

    public PrometheusSeriesKind Series { get; }

    public PrometheusLabels Labels { get; }

    /// <summary>The value; NaN and ±Inf are passed through for the caller to judge.</summary>
    public double Value { get; }

    /// <summary>Unix time in ms when the line carries a timestamp (OpenMetrics seconds are converted).</summary>
    public long? TimestampMs { get; }

    /// <summary>1-based line number within the body.</summary>
    public int Line { get; }
}
