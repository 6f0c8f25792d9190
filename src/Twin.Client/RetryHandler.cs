using System.Net;

namespace Twin.Client;

/// <summary>
/// Retries a request the twin refused for load (429 ingestion busy, 503 silo not ready) after the server's
/// <c>Retry-After</c>, or with exponential back-off when it gives none; any other answer goes straight back.
/// </summary>
public sealed class RetryHandler(TwinClientOptions options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var backoff = options.InitialBackoff;
        for (var attempt = 0; ; attempt++)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (attempt >= options.MaxRetries || response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable))
            {
                return response;
            }
            var wait = RetryAfter(response) ?? backoff;
            response.Dispose();
            await Task.Delay(wait < options.MaxBackoff ? wait : options.MaxBackoff, options.TimeProvider, cancellationToken);
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
}
