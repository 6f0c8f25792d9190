using System.Diagnostics.Metrics;

namespace Twin.Grains.Observability;

/// <summary>
/// The twin's own instruments on the <c>Twin</c> meter (docs/architecture.md). One singleton per host, created
/// through <see cref="IMeterFactory"/> so each host (and each test host) owns its meter.
/// Names follow OpenTelemetry conventions; Prometheus sees them as <c>twin_ingest_samples_accepted_total</c> etc.
/// </summary>
public sealed class TwinMetrics
{
    public const string MeterName = "Twin";

    private readonly Counter<long> _samplesAccepted;
    private readonly Counter<long> _samplesRejected;
    private readonly Counter<long> _faultsInjected;
    private readonly UpDownCounter<long> _sseClients;

    public TwinMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _samplesAccepted = meter.CreateCounter<long>("twin.ingest.samples.accepted", "{sample}", "Telemetry samples applied to device grains, by format.");
        _samplesRejected = meter.CreateCounter<long>("twin.ingest.samples.rejected", "{sample}", "Telemetry samples refused (unknown device, bad value, bad unit), by format.");
        _faultsInjected = meter.CreateCounter<long>("twin.faults.injected", "{fault}", "Faults injected over the API, by kind.");
        _sseClients = meter.CreateUpDownCounter<long>("twin.sse.clients", "{client}", "Clients connected to the server-sent event feed.");
    }

    /// <summary>Counts one telemetry request's outcome; <paramref name="format"/> is json, prometheus or otlp.</summary>
    public void Ingested(string format, long accepted, long rejected)
    {
        var tag = new KeyValuePair<string, object?>("format", format);
        if (accepted > 0)
        {
            _samplesAccepted.Add(accepted, tag);
        }
        if (rejected > 0)
        {
            _samplesRejected.Add(rejected, tag);
        }
    }

    public void FaultInjected(string kind) => _faultsInjected.Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Counts an SSE client until the returned handle is disposed (the connection ends).</summary>
    public IDisposable SseClient()
    {
        _sseClients.Add(1);
        return new Decrement(_sseClients);
    }

    private sealed class Decrement(UpDownCounter<long> counter) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                counter.Add(-1);
            }
        }
    }
}
