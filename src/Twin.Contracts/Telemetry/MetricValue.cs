using Twin.Model.Telemetry;

namespace Twin.Contracts.Telemetry;

/// <summary>One canonical metric reading.</summary>
[GenerateSerializer, Immutable, Alias("twin.metric-value")]
public readonly record struct MetricValue([property: Id(0)] Metric Metric, [property: Id(1)] double Value);
