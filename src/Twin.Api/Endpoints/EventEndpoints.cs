using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Twin.Api.Security;
using Twin.Contracts.Events;
using Twin.Contracts.Streams;

namespace Twin.Api.Endpoints;

/// <summary><c>/api/v1/events</c>: the ordered history, and a live SSE feed that resumes from Last-Event-ID.</summary>
public static class EventEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/events").WithTags("events");
        api.MapGet("/", List).WithSummary("Events after sequence 'since' (exclusive), oldest first. 'oldest' is the first still held.");
        api.MapGet("/stream", Stream).Produces(200, contentType: "text/event-stream").ProducesProblem(400).WithSummary("Server-sent events; each event's id is its sequence, so a reconnect with Last-Event-ID misses nothing still held.");
        return app;
    }

    private static async Task<Results<Ok<EventsView>, ProblemHttpResult>> List(
        IGrainFactory grains, TenantScope scope, HttpContext context, long since = 0, string? site = null, string? kind = null, int? limit = null)
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
        // a tenant-scoped key sees its devices' events; paging still follows the whole history
        var items = await scope.Events(context.User) is { } visible ? [.. page.Items.Where(visible)] : page.Items;
        return TypedResults.Ok(new EventsView(items, page.Oldest, page.Last, next, Missed: page.Oldest > since + 1 && since > 0));
    }

    private static async Task<IResult> Stream(HttpContext context, IGrainFactory grains, TenantScope scope, long? since = null, string? site = null, string? kind = null)
    {
        var start = since;
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
        return new EventStreamResult(grains.GetGrain<IEventLogGrain>(TwinStreams.FactoryKey), start, new EventFilter(site, kind), await scope.Events(context.User));
    }
}

/// <summary>A page of history: pass <c>next</c> as <c>since</c> for the following page; <c>missed</c> says the bounded history dropped events after 'since'.</summary>
public sealed record EventsView(IReadOnlyList<TwinEvent> Items, long Oldest, long Last, long Next, bool Missed);
