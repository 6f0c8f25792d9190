using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Twin.Contracts.Events;
using Twin.Contracts.Streams;

namespace Twin.Api.Endpoints;

/// <summary><c>/api/v1/events</c>: the ordered history, and a live SSE feed that resumes from Last-Event-ID.</summary>
public static class EventEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    private const int StreamBatch = 500;
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/events").WithTags("events");
        api.MapGet("/", List).WithSummary("Events after sequence 'since' (exclusive), oldest first. 'oldest' is the first still held.");
        api.MapGet("/stream", Stream).WithSummary("Server-sent events; each event's id is its sequence, so a reconnect with Last-Event-ID misses nothing still held.");
        return app;
    }

    private static async Task<Results<Ok<EventsView>, ProblemHttpResult>> List(
        IGrainFactory grains, long since = 0, string? site = null, string? kind = null, int? limit = null)
    {
        if (since < 0)
        {
            return Problems.Problems.BadRequest("since", "since must be 0 or a sequence number");
        }
        var pageSize = limit ?? DefaultLimit;
        if (pageSize is < 1 or > MaxLimit)
        {
            return Problems.Problems.BadRequest("limit", $"limit must be between 1 and {MaxLimit}");
        }
        var page = await grains.GetGrain<IEventLogGrain>(TwinStreams.FactoryKey).Read(since, pageSize, new EventFilter(site, kind));
        var next = page.Items.Count == pageSize ? page.Items[^1].Sequence : page.Last;
        return TypedResults.Ok(new EventsView(page.Items, page.Oldest, page.Last, next, Missed: page.Oldest > since + 1 && since > 0));
    }

    private static Results<ServerSentEventsResult<TwinEvent>, ProblemHttpResult> Stream(
        HttpContext context, IGrainFactory grains, long? since = null, string? site = null, string? kind = null)
    {
        long? start = since;
        var lastEventId = context.Request.Headers["Last-Event-ID"].ToString();
        if (lastEventId.Length > 0)
        {
            if (!long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var resume))
            {
                return Problems.Problems.BadRequest("Last-Event-ID", "Last-Event-ID must be the sequence of an event this feed sent");
            }
            start = resume;
        }
        if (start < 0)
        {
            return Problems.Problems.BadRequest("since", "since must be 0 or a sequence number");
        }
        var events = Feed(grains.GetGrain<IEventLogGrain>(TwinStreams.FactoryKey), start, new EventFilter(site, kind), context.RequestAborted);
        return TypedResults.ServerSentEvents(events);
    }

    private static async IAsyncEnumerable<SseItem<TwinEvent>> Feed(
        IEventLogGrain log, long? start, EventFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // without a resume point the feed starts at "now"
        var cursor = start ?? (await log.Read(long.MaxValue - 1, 0, EventFilter.All)).Last;
        while (!cancellationToken.IsCancellationRequested)
        {
            var page = await log.Read(cursor, StreamBatch, filter);
            foreach (var e in page.Items)
            {
                yield return new SseItem<TwinEvent>(e, e.Kind) { EventId = e.Sequence.ToString(CultureInfo.InvariantCulture) };
            }
            // a full page stopped at its last item; a short one scanned everything up to Last
            cursor = page.Items.Count == StreamBatch ? page.Items[^1].Sequence : Math.Max(cursor, page.Last);
            if (page.Items.Count < StreamBatch)
            {
                try
                {
                    await log.WaitForEvents(cursor, IdleWait).WaitAsync(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
            }
        }
    }
}

/// <summary>A page of history: pass <c>next</c> as <c>since</c> for the following page; <c>missed</c> says the bounded history dropped events after 'since'.</summary>
public sealed record EventsView(IReadOnlyList<TwinEvent> Items, long Oldest, long Last, long Next, bool Missed);
