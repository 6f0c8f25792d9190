using Twin.Model.Devices;

namespace Twin.Model.Telemetry;

/// <summary>A canonical metric: its name on the wire, unit, and whether the source reports it as a monotonic counter.</summary>
public sealed record MetricInfo(Metric Metric, string Name, string Unit, bool IsCounter, string Description);
