namespace Twin.Api.Ingestion;

/// <summary>Limits of the telemetry endpoints (<c>Twin:Ingest</c>).</summary>
public sealed class IngestOptions
{
    /// <summary>Largest request body accepted (compressed size); larger gets 413.</summary>
    public long MaxBodyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Batches applied at once; beyond this a request gets 429 with Retry-After instead of queueing without bound.</summary>
    public int MaxConcurrentBatches { get; set; } = 8;

    /// <summary>Devices per fan-out call to an ingest worker.</summary>
    public int DevicesPerWorkerCall { get; set; } = 256;

    /// <summary>Fan-out calls of one batch in flight at once.</summary>
    public int ChunksInFlight { get; set; } = 4;
}
