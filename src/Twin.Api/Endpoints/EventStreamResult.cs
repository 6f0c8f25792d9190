using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Twin.Contracts.Events;
using Twin.Grains.Observability;

namespace Twin.Api.Endpoints;

/// <summary>
/// The SSE feed: headers go out at once (a client knows it is connected before the first event),
/// each event carries its sequence as <c>id</c> so a reconnect resumes exactly, and an idle feed
/// sends a comment line every wait so proxies keep the connection.
/// </summary>
internal sealed class EventStreamResult(IEventLogGrain log, long? start, EventFilter filter, Func<TwinEvent, bool>? visible = null) : IResult
{
    private const int Batch = 500;
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(15);

    public async Task ExecuteAsync(HttpContext context)
    {
        var json = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var response = context.Response;
        var cancellationToken = context.RequestAborted;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        // without a resume point the feed starts at "now"
        var cursor = start ?? (await log.Read(long.MaxValue - 1, 0, EventFilter.All)).Last;
        using var client = context.RequestServices.GetRequiredService<TwinMetrics>().SseClient();
        await response.WriteAsync(": connected\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
        var text = new StringBuilder();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var page = await log.Read(cursor, Batch, filter);
                if (page.Oldest > cursor + 1 && cursor > 0)
                {
                    // the bounded history dropped events this reader never saw: say so instead of hiding the gap
                    await response.WriteAsync($"event: gap\ndata: {{\"from\":{cursor + 1},\"to\":{page.Oldest - 1}}}\n\n", cancellationToken);
                }
                text.Clear();
                foreach (var e in page.Items)
                {
                    if (visible is not null && !visible(e))
                    {
                        continue; // another tenant's: the cursor still moves past it
                    }
                    text.Append("id: ").Append(e.Sequence.ToString(CultureInfo.InvariantCulture)).Append('\n')
                        .Append("event: ").Append(e.Kind).Append('\n')
                        .Append("data: ").Append(JsonSerializer.Serialize(e, json)).Append("\n\n");
                }
                if (text.Length > 0)
                {
                    await response.WriteAsync(text.ToString(), cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                }
                // a full page stopped at its last item; a short one scanned everything up to Last
                cursor = page.Items.Count == Batch ? page.Items[^1].Sequence : Math.Max(cursor, page.Last);
                if (page.Items.Count < Batch && await log.WaitForEvents(cursor, IdleWait).WaitAsync(cancellationToken) <= cursor)
                {
                    await response.WriteAsync(": idle\n\n", cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the client went away
        }
    }
}
