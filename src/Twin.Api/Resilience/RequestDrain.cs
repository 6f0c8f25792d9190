using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Twin.Api.Resilience;

/// <summary>
/// Graceful stop (SIGTERM, a deploy, scale-in). Hosted services stop in reverse order of registration, which would
/// stop the Orleans silo while Kestrel still serves requests that call its grains. <c>StoppingAsync</c> runs before
/// any service stops, so this is where the silo stops taking requests (new ones get 503 and <c>Connection: close</c>,
/// so a client goes to another silo), closes its SSE feeds (clients resume elsewhere with <c>Last-Event-ID</c>),
/// and waits for the requests in flight, at most <see cref="ResilienceOptions.DrainTimeout"/>. Only then does the
/// silo hand its grains over and leave the membership.
/// </summary>
public sealed class RequestDrain(IOptions<ResilienceOptions> options, ILogger<RequestDrain> log) : IHostedLifecycleService, IDisposable
{
    private readonly CancellationTokenSource _draining = new();
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _streams;

    public bool IsDraining => _draining.IsCancellationRequested;

    /// <summary>Cancelled when the drain begins: long-lived responses (SSE) end on it.</summary>
    public CancellationToken Draining => _draining.Token;

    public int InFlight => Volatile.Read(ref _inFlight);

    public void Enter() => Interlocked.Increment(ref _inFlight);

    public void Leave()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && IsDraining)
        {
            _idle.TrySetResult();
        }
    }

    public void StreamOpened() => Interlocked.Increment(ref _streams);

    public void StreamClosed() => Interlocked.Decrement(ref _streams);

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        await _draining.CancelAsync();
        ResilienceLog.Draining(log, InFlight, Volatile.Read(ref _streams));
        if (InFlight > 0)
        {
            try
            {
                await _idle.Task.WaitAsync(options.Value.DrainTimeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                // what is still running after the drain timeout fails as in a crash; the caller retries
            }
        }
        ResilienceLog.Drained(log, (long)TimeProvider.System.GetElapsedTime(started).TotalMilliseconds, InFlight);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _draining.Dispose();
}
