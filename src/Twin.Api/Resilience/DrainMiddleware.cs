using Microsoft.AspNetCore.Http;
using Twin.Api.Security;

namespace Twin.Api.Resilience;

/// <summary>Counts requests in flight for <see cref="RequestDrain"/>, refuses new ones once it drains, and ends SSE feeds when it begins.</summary>
public sealed class DrainMiddleware(RequestDelegate next, RequestDrain drain)
{
    private static readonly TimeSpan AskElsewhere = TimeSpan.FromSeconds(1);

    public async Task InvokeAsync(HttpContext context)
    {
        if (drain.IsDraining)
        {
            context.Response.Headers.Connection = "close";
            await ServiceUnavailable.Write(context, TransientCause.ShuttingDown, AskElsewhere);
            return;
        }
        if (RequestConventions.StreamsEvents(context.GetEndpoint()))
        {
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, drain.Draining);
            context.RequestAborted = ended.Token;
            drain.StreamOpened();
            try
            {
                await next(context);
            }
            finally
            {
                drain.StreamClosed();
            }
            return;
        }
        drain.Enter();
        try
        {
            await next(context);
        }
        finally
        {
            drain.Leave();
        }
    }
}
