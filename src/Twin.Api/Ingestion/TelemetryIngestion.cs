using Microsoft.Extensions.Options;
using Twin.Contracts.Telemetry;
using Twin.Telemetry;

namespace Twin.Api.Ingestion;

/// <summary>
/// Applies parsed batches: chunks of devices fan out to stateless ingest workers (one grain call per
/// device inside). A bounded number of batches run at once; callers beyond it are told to retry.
/// </summary>
public sealed class TelemetryIngestion(IGrainFactory grains, IOptions<IngestOptions> options, Grains.Synthetic.RealTelemetrySignal real)
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentBatches, options.Value.MaxConcurrentBatches);
    private readonly ITelemetryIngestGrain _worker = grains.GetGrain<ITelemetryIngestGrain>(ITelemetryIngestGrain.Key);

    public long MaxBodyBytes => options.Value.MaxBodyBytes;

    /// <summary>Takes a slot for one batch, or null when every slot is busy (answer 429).</summary>
    public IDisposable? TryEnter() => _slots.Wait(0) ? new Slot(_slots) : null;

    /// <summary>
    /// Waits up to <paramref name="wait"/> for a slot (remote-write senders keep a bounded number of requests in
    /// flight and resend after a 429 only when configured to, so a short queue here loses less), or null.
    /// </summary>
    public async Task<IDisposable?> Enter(TimeSpan wait, CancellationToken cancellationToken) =>
        await _slots.WaitAsync(wait, cancellationToken) ? new Slot(_slots) : null;

    public async Task Apply(TelemetryBatch batch)
    {
        var devices = batch.Devices;
        if (devices.Length > 0)
        {
            real.Arrived();
        }
        var size = options.Value.DevicesPerWorkerCall;
        // a bounded number of chunks in flight keeps the silo's queues short, so a fault injected while a
        // large batch is applied waits behind a few hundred device calls, not behind the whole batch
        var inFlight = new List<Task<int>>(options.Value.ChunksInFlight);
        for (var offset = 0; offset < devices.Length; offset += size)
        {
            if (inFlight.Count == options.Value.ChunksInFlight)
            {
                inFlight.Remove(await Task.WhenAny(inFlight));
            }
            var chunk = devices.AsSpan(offset, Math.Min(size, devices.Length - offset)).ToArray();
            inFlight.Add(_worker.Ingest(chunk).AsTask());
        }
        await Task.WhenAll(inFlight);
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
