using Twin.Telemetry.Bodies;

namespace Twin.Telemetry.Prometheus;

/// <summary>
/// <c>POST /api/v1/telemetry/prometheus</c>: a Prometheus text / OpenMetrics body (dcgm-exporter, node_exporter),
/// gzip or plain, into one batch and its report. Thread-safe; one instance per <see cref="TelemetryMapper"/>.
/// </summary>
public sealed class PrometheusIngest(TelemetryMapper mapper)
{
    /// <summary>
    /// Reads a body that may be gzip-compressed (detected by its magic bytes). <paramref name="host"/> names the
    /// pushing host for samples without a host label (node_exporter output pushed from the host itself).
    /// </summary>
    public TelemetryBatch Ingest(ReadOnlyMemory<byte> body, DateTimeOffset now, string? host = null) =>
        Ingest(GzipBody.Unwrap(body, mapper.Options.MaxDecompressedBytes).Span, now, host);

    /// <summary>Reads a plain UTF-8 body.</summary>
    public TelemetryBatch Ingest(ReadOnlySpan<byte> utf8, DateTimeOffset now, string? host = null)
    {
        if (GzipBody.IsGzip(utf8))
        {
            return Ingest(GzipBody.Decompress(utf8.ToArray(), mapper.Options.MaxDecompressedBytes), now, host);
        }
        var batch = mapper.CreateBatch(now);
        var visitor = new PrometheusMappingVisitor(mapper, batch, defaultHost: string.IsNullOrWhiteSpace(host) ? null : host.Trim());
        PrometheusTextParser.Parse(utf8, ref visitor);
        return batch.Build();
    }
}
