namespace Twin.Telemetry.Prometheus;

/// <summary>
/// What a sample line is within its family. Only <see cref="Value"/> samples are point readings; the others
/// belong to histograms/summaries (or are OpenMetrics <c>_created</c> stamps) and mappers skip them.
/// </summary>
public enum PrometheusSeriesKind : byte
{
    Value,
    Bucket,
    Sum,
    Count,
    Quantile,
    Created,
}
