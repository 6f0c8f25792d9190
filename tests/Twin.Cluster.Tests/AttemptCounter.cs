namespace Twin.Cluster.Tests;

/// <summary>
/// Sits under Twin.Client's retry handler and writes every attempt to a <see cref="CallLog"/>: the answers the silos
/// gave, including the 503s the client retried and the connections that failed, which the client hides.
/// </summary>
public sealed class AttemptCounter(CallLog log) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            log.Add(response.StatusCode, $"{request.Method} {request.RequestUri}");
            return response;
        }
        catch (HttpRequestException)
        {
            log.Unreachable();
            throw;
        }
    }
}
