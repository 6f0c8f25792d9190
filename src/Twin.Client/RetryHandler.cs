using System.Net;

namespace Twin.Client;

/// <summary>
/// Retries what the twin answers "not now" and what never reached it. Retried: 429 (ingestion busy, rate limit),
/// 503 (a silo failing over, storage away, a silo shutting down), 409 with <c>Retry-After</c> (a request with the
/// same <c>Idempotency-Key</c> still running), after the server's <c>Retry-After</c> or with exponential back-off
/// when it gives none; and a request that could not connect. A request whose connection broke after it was sent
/// is sent again only when that cannot do it twice: a read, or a create carrying an <c>Idempotency-Key</c>. With
/// <see cref="TwinClientOptions.FallbackAddresses"/> each retry goes to the next silo. Any other answer goes
/// straight back.
/// </summary>
public sealed class RetryHandler(TwinClientOptions options) : DelegatingHandler
{
    private readonly Uri[] _addresses = [options.BaseAddress, .. options.FallbackAddresses];
    private int _current;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var backoff = options.InitialBackoff;
        for (var attempt = 0; ; attempt++)
        {
            var address = Volatile.Read(ref _current);
            Aim(request, address);
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException e) when (attempt < options.MaxRetries && CanSendAgain(request, e) && !cancellationToken.IsCancellationRequested)
            {
                MoveOn(address);
                await Wait(backoff, cancellationToken);
                backoff *= 2;
                continue;
            }
            if (attempt >= options.MaxRetries || !Retryable(response))
            {
                return response;
            }
            var wait = RetryAfter(response) ?? backoff;
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                MoveOn(address);
            }
            response.Dispose();
            await Wait(wait, cancellationToken);
            backoff *= 2;
        }
    }

    /// <summary>The server's wait, as seconds or as a date; null when it sent none.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - TimeProvider.System.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
        _ => null,
    };

    private static bool Retryable(HttpResponseMessage response) => response.StatusCode switch
    {
        HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable => true,
        HttpStatusCode.Conflict => response.Headers.RetryAfter is not null,
        _ => false,
    };

    // Not connected: nothing was sent. Broken later: the twin may have acted, so only what is safe to repeat goes again.
    private static bool CanSendAgain(HttpRequestMessage request, HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
        || request.Method == HttpMethod.Get || request.Method == HttpMethod.Head
        || request.Headers.Contains(TwinClient.IdempotencyKeyHeader);

    private Task Wait(TimeSpan wait, CancellationToken cancellationToken) =>
        Task.Delay(wait < options.MaxBackoff ? wait : options.MaxBackoff, options.TimeProvider, cancellationToken);

    // the next silo for this request and the ones after it, unless another request moved on already
    private void MoveOn(int from)
    {
        if (_addresses.Length > 1)
        {
            Interlocked.CompareExchange(ref _current, (from + 1) % _addresses.Length, from);
        }
    }

    private void Aim(HttpRequestMessage request, int address)
    {
        if (_addresses.Length == 1 || request.RequestUri is not { IsAbsoluteUri: true } uri)
        {
            return;
        }
        var target = _addresses[address];
        request.RequestUri = new UriBuilder(uri) { Scheme = target.Scheme, Host = target.Host, Port = target.Port }.Uri;
    }
}
