using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Twin.Api.Resilience;

/// <summary>
/// Turns transient cluster and storage failures (<see cref="TransientFailure"/>) into 503 with <c>Retry-After</c>
/// instead of 500, for every endpoint. A read (GET) is tried once more first, after
/// <see cref="ResilienceOptions.ReadRetryDelay"/>: a grain that was on a leaving silo is usually somewhere else by
/// then, and the caller never sees the failover. Writes are not repeated here: whether they took effect is unknown,
/// so the caller decides (with an <c>Idempotency-Key</c>, safely). A failure after the response started (an SSE
/// feed) ends the response, and the client resumes with <c>Last-Event-ID</c>.
/// </summary>
public sealed class TransientFailureMiddleware(RequestDelegate next, IOptions<ResilienceOptions> options, ILogger<TransientFailureMiddleware> log)
{
    private readonly ResilienceOptions _options = options.Value;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var readRetries = HttpMethods.IsGet(request.Method) && _options.ReadRetryDelay > TimeSpan.Zero ? 1 : 0;
        while (true)
        {
            try
            {
                await next(context);
                return;
            }
            catch (Exception e) when (TransientFailure.Of(e) is { } cause && !context.RequestAborted.IsCancellationRequested)
            {
                if (context.Response.HasStarted)
                {
                    ResilienceLog.EndedStarted(log, request.Method, request.Path.Value, cause, e.Message);
                    return;
                }
                if (readRetries-- > 0)
                {
                    ResilienceLog.RetryingRead(log, request.Method, request.Path.Value, cause, e.Message);
                    context.Response.Clear();
                    await Task.Delay(_options.ReadRetryDelay, context.RequestAborted);
                    continue;
                }
                ResilienceLog.Unavailable(log, request.Method, request.Path.Value, cause, e.Message);
                context.Response.Clear();
                await ServiceUnavailable.Write(context, cause, _options.RetryAfter);
                return;
            }
        }
    }
}
