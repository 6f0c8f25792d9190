namespace Twin.Telemetry.Prometheus;

/// <summary>The family type a <c># TYPE</c> line declared (untyped when none did).</summary>
public enum PrometheusMetricType : byte
{
    Untyped,
    Counter,
    Gauge,
    Histogram,
    GaugeHistogram,
    Summary,
    Info,
    StateSet,
}
