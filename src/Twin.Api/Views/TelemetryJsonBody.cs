namespace Twin.Api.Views;

/// <summary>The JSON telemetry batch (documentation shape; the body is parsed by a streaming reader).</summary>
public sealed record TelemetryJsonBody(IReadOnlyList<TelemetryJsonSample> Samples);

/// <summary>Readings of one device: canonical names (<c>temperature_c</c>) or mapped source names (<c>DCGM_FI_DEV_GPU_TEMP</c>).</summary>
public sealed record TelemetryJsonSample(string Device, DateTimeOffset? Time, IReadOnlyDictionary<string, double> Metrics);
