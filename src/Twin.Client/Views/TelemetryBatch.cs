namespace Twin.Client.Views;

/// <summary>A JSON telemetry batch: <c>{samples:[{device, time, metrics:{name: value}}]}</c>.</summary>
public sealed record TelemetryBatch(IReadOnlyList<TelemetrySample> Samples);

/// <summary>Readings of one device, by canonical (<c>temperature_c</c>) or mapped source name (<c>DCGM_FI_DEV_GPU_TEMP</c>).</summary>
public sealed record TelemetrySample(string Device, DateTimeOffset? Time, IReadOnlyDictionary<string, double> Metrics);
