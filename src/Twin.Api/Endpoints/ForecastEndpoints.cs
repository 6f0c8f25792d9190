using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Twin.Api.Views;
using Twin.Contracts.Forecasts;
using Twin.Contracts.Streams;
using Twin.Model.Faults;
using Twin.Model.Health;
using Twin.Model.Outcomes;
using Twin.Model.Time;

namespace Twin.Api.Endpoints;

/// <summary>
/// <c>/api/v1/forecasts</c>: fork the live factory into a what-if run ahead on a virtual clock; read its progress and
/// report (the forecast, the no-fault baseline from the same snapshot, their difference); cancel it.
/// </summary>
public static class ForecastEndpoints
{
    public static readonly TimeSpan MaxHorizon = TimeSpan.FromDays(30);
    public const int MaxFaults = 100;

    public static IEndpointRouteBuilder MapForecasts(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/forecasts").WithTags("forecasts");
        api.MapPost("/", Start).WithSummary("Start a forecast from the live factory now, with supposed faults; 202 with its status, 429 when 4 already run.");
        api.MapGet("/", List).WithSummary("Every forecast kept, with its status.");
        api.MapGet("/{id}", Get).WithSummary("A forecast's status and, once done, its report: baseline, forecast and their difference.");
        api.MapDelete("/{id}", Cancel).WithSummary("Cancel a running forecast (or forget a finished one).");
        return app;
    }

    private static IForecastRegistryGrain Registry(IGrainFactory grains) => grains.GetGrain<IForecastRegistryGrain>(TwinStreams.FactoryKey);

    private static async Task<Results<Accepted<ForecastStatus>, ProblemHttpResult>> Start(
        ForecastRequestBody body, IGrainFactory grains, FaultPlanner planner, IOptionsMonitor<HealthThresholds> thresholds, TimeProvider time, HttpContext context)
    {
        var (request, problem) = Read(body, planner, thresholds.CurrentValue, time.GetUtcNow());
        if (problem is not null)
        {
            return problem;
        }
        var id = "fc-" + Guid.NewGuid().ToString("N")[..10];
        if (!await Registry(grains).Admit(id))
        {
            context.Response.Headers.RetryAfter = "10";
            return TypedResults.Problem($"{Grains.Forecasts.ForecastRegistryGrain.MaxRunning} forecasts are running; retry when one is done or cancel one.",
                statusCode: 429, title: "Too many forecasts");
        }
        ForecastStatus status;
        try
        {
            status = await grains.GetGrain<IForecastGrain>(id).Start(request!);
        }
        catch
        {
            await Registry(grains).Forget(id); // a forecast that never started must not hold one of the slots
            throw;
        }
        return TypedResults.Accepted($"/api/v1/forecasts/{id}", status);
    }

    private static async Task<Ok<ItemsView<ForecastStatus>>> List(IGrainFactory grains)
    {
        var statuses = await Task.WhenAll((await Registry(grains).Ids()).Select(id => grains.GetGrain<IForecastGrain>(id).GetStatus()));
        return TypedResults.Ok(new ItemsView<ForecastStatus>([.. statuses.OfType<ForecastStatus>()]));
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Get(string id, IGrainFactory grains)
    {
        if (!(await Registry(grains).Ids()).Contains(id) || await grains.GetGrain<IForecastGrain>(id).GetStatus() is not { } status)
        {
            return Problems.Problems.NotFound("forecast", id);
        }
        var body = JsonSerializer.SerializeToNode(status, JsonSerializerOptions.Web)!.AsObject();
        if (await grains.GetGrain<IForecastGrain>(id).GetReport() is { } report)
        {
            body["report"] = JsonNode.Parse(report);
        }
        return TypedResults.Content(body.ToJsonString(), "application/json");
    }

    private static async Task<Results<Ok<ForecastStatus>, ProblemHttpResult>> Cancel(string id, IGrainFactory grains)
    {
        if (!(await Registry(grains).Ids()).Contains(id))
        {
            return Problems.Problems.NotFound("forecast", id);
        }
        return await grains.GetGrain<IForecastGrain>(id).Cancel() is { } status ? TypedResults.Ok(status) : Problems.Problems.NotFound("forecast", id);
    }

    // Validates the body field by field; each supposed fault is planned as the registry would, so a bad target is
    // refused here (naming faults[i].target), not found out half-way through the run.
    private static (ForecastRequest? Request, ProblemHttpResult? Problem) Read(ForecastRequestBody b, FaultPlanner planner, HealthThresholds thresholds, DateTimeOffset now)
    {
        if (!DurationText.TryParse(b.Horizon, out var horizon) || horizon <= TimeSpan.Zero || horizon > MaxHorizon)
        {
            return (null, Problems.Problems.BadRequest("horizon", $"'{b.Horizon}' is not a horizon between 1s and {MaxHorizon.TotalDays:0} days, such as 90m, 6h or 2d"));
        }
        if (b.Faults is { Length: > MaxFaults })
        {
            return (null, Problems.Problems.BadRequest("faults", $"at most {MaxFaults} supposed faults"));
        }
        if (b.Speed is <= 0 || b.Speed is { } s && !double.IsFinite(s))
        {
            return (null, Problems.Problems.BadRequest("speed", "speed is a positive number of virtual seconds per second"));
        }
        var faults = new List<SupposedFault>();
        for (var i = 0; i < (b.Faults?.Length ?? 0); i++)
        {
            var f = b.Faults![i];
            var field = $"faults[{i}]";
            if (string.IsNullOrWhiteSpace(f.Kind) || FaultKinds.Find(f.Kind) is null)
            {
                return (null, Problems.Problems.BadRequest($"{field}.kind", $"'{f.Kind}' is not a fault kind; GET /api/v1/faults/kinds lists them"));
            }
            if (string.IsNullOrWhiteSpace(f.Target))
            {
                return (null, Problems.Problems.BadRequest($"{field}.target", "target is required"));
            }
            var (parameters, badParameter) = ParameterText.Read(f.Parameters, $"{field}.");
            if (badParameter is not null)
            {
                return (null, badParameter);
            }
            var (planned, rejection) = planner.Plan(new FaultRequest(f.Kind, f.Target, parameters), thresholds);
            if (planned is null)
            {
                var detail = rejection?.Message ?? "the fault cannot be planned";
                return (null, rejection?.Reason == Refusal.NotFound
                    ? Problems.Problems.NotFound($"{field}.{rejection.Field}", f.Target)
                    : Problems.Problems.BadRequest($"{field}.{rejection?.Field ?? "target"}", detail));
            }
            TimeSpan at;
            if (string.IsNullOrWhiteSpace(f.At))
            {
                at = TimeSpan.Zero;
            }
            else if (DurationText.TryParse(f.At.TrimStart('+'), out var offset) && offset >= TimeSpan.Zero)
            {
                at = offset;
            }
            else if (DateTimeOffset.TryParse(f.At, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when) && when >= now)
            {
                at = when - now;
            }
            else
            {
                return (null, Problems.Problems.BadRequest($"{field}.at", $"'{f.At}' is neither an offset from now (10m, 2h) nor an ISO-8601 time ahead"));
            }
            if (at >= horizon)
            {
                return (null, Problems.Problems.BadRequest($"{field}.at", $"{DurationText.Format(at)} is beyond the horizon of {DurationText.Format(horizon)}"));
            }
            TimeSpan? duration = null;
            if (f.Duration is not null)
            {
                if (!DurationText.TryParse(f.Duration, out var d) || d <= TimeSpan.Zero)
                {
                    return (null, Problems.Problems.BadRequest($"{field}.duration", $"'{f.Duration}' is not a positive duration such as 15m"));
                }
                duration = d;
            }
            faults.Add(new SupposedFault(f.Kind, f.Target, at, parameters, duration));
        }
        return (new ForecastRequest(horizon, [.. faults], b.Seed ?? 1, b.Failures ?? true, b.Speed), null);
    }
}
