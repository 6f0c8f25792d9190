using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Twin.Contracts.Rewind;
using Twin.Api.Problems;
using Twin.Api.Rewind;
using Twin.Contracts.Events;
using Twin.Contracts.Sites;
using Twin.Contracts.Streams;
using Twin.Model.Topology;

namespace Twin.Api.Endpoints;

/// <summary><c>/healthz</c>, <c>/api/v1/factory</c>, <c>/api/v1/sites</c>.</summary>
public static class FactoryEndpoints
{
    public static IEndpointRouteBuilder MapFactory(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", Healthz).WithTags("health").WithSummary("Liveness and readiness: the silo answers grain calls.");

        var api = app.MapGroup("/api/v1").WithTags("factory");
        api.MapGet("/factory", GetFactory)
            .WithSummary("Totals, per-site summaries, DCI links and active faults; with ?at= (ISO-8601 or -15m) the factory as history says it was then.");
        api.MapGet("/sites", async (IGrainFactory grains, FactoryTopology topology) =>
                TypedResults.Ok(await Task.WhenAll(topology.SiteNames.Select(s => grains.GetGrain<ISiteCoordinatorGrain>(s).GetSummary().AsTask()))))
            .WithSummary("Every site with health counts per device kind, usable GPUs, fabric and storage capacity.");
        api.MapGet("/sites/{site}", GetSite).WithSummary("One site's summary; with ?at= its health counts as history says they were then.");
        return app;
    }

    private static async Task<Results<Ok<HealthStatus>, ProblemHttpResult>> Healthz(IGrainFactory grains, FactoryTopology topology)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var page = await grains.GetGrain<IEventLogGrain>(TwinStreams.FactoryKey).Read(long.MaxValue - 1, 0, EventFilter.All).AsTask().WaitAsync(cts.Token);
            return TypedResults.Ok(new HealthStatus("ok", topology.Spec.Name, topology.SiteNames.ToList(), topology.Devices.Count, page.Last));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or OrleansException)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Silo not ready");
        }
    }

    private static async Task<Results<Ok<FactorySummary>, Ok<FactoryAtView>, ProblemHttpResult>> GetFactory(
        IGrainFactory grains, FactoryRewind rewind, TimeProvider time, string? at = null)
    {
        if (at is null)
        {
            return TypedResults.Ok(await grains.GetGrain<IFactoryGrain>(TwinStreams.FactoryKey).GetSummary());
        }
        var (when, error) = RewindTime.Parse(at, time.GetUtcNow());
        return when is { } t ? TypedResults.Ok(await rewind.Factory(t)) : Problems.Problems.BadRequest("at", error!);
    }

    private static async Task<Results<Ok<SiteSummary>, Ok<SiteAtView>, ProblemHttpResult>> GetSite(
        string site, IGrainFactory grains, FactoryTopology topology, FactoryRewind rewind, TimeProvider time, string? at = null)
    {
        if (!topology.SiteNames.Contains(site))
        {
            return Problems.Problems.NotFound("site", site);
        }
        if (at is null)
        {
            return TypedResults.Ok(await grains.GetGrain<ISiteCoordinatorGrain>(site).GetSummary());
        }
        var (when, error) = RewindTime.Parse(at, time.GetUtcNow());
        if (when is not { } t)
        {
            return Problems.Problems.BadRequest("at", error!);
        }
        var (snapshot, exactness) = await rewind.Snapshot(t);
        return TypedResults.Ok(rewind.Site(snapshot, site, exactness));
    }
}

/// <summary>Body of <c>/healthz</c>.</summary>
public sealed record HealthStatus(string Status, string Factory, IReadOnlyList<string> Sites, int Devices, long LastEventSequence);
