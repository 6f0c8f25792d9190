using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Twin.Api.Views;
using Twin.Contracts.Faults;
using Twin.Contracts.Streams;
using Twin.Grains.Observability;
using Twin.Model.Faults;
using Twin.Model.Time;

namespace Twin.Api.Endpoints;

/// <summary><c>/api/v1/faults</c>: inject (with cascade), list, repair.</summary>
public static class FaultEndpoints
{
    public static IEndpointRouteBuilder MapFaults(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/faults").WithTags("faults");
        api.MapGet("/", List).WithSummary("Faults, newest last; filter by active, site and kind.");
        api.MapGet("/kinds", () => TypedResults.Ok(new ItemsView<FaultKind>(FaultKinds.All))).WithSummary("The fault kinds and what each targets.");
        api.MapGet("/{id}", Get).WithSummary("One fault.");
        api.MapPost("/", Inject).WithSummary("Inject a fault: the target and what depends on it change state at once; 201 with the fault.");
        api.MapDelete("/{id}", Repair).WithSummary("Repair a fault: its devices return to the state their telemetry shows.");
        return app;
    }

    private static IFaultRegistryGrain Registry(IGrainFactory grains) => grains.GetGrain<IFaultRegistryGrain>(TwinStreams.FactoryKey);

    private static async Task<Ok<ItemsView<FaultView>>> List(IGrainFactory grains, bool? active = null, string? site = null, string? kind = null) =>
        TypedResults.Ok(new ItemsView<FaultView>(await Registry(grains).List(active, site, kind)));

    private static async Task<Results<Ok<FaultView>, ProblemHttpResult>> Get(string id, IGrainFactory grains) =>
        await Registry(grains).Get(id) is { } fault ? TypedResults.Ok(fault) : Problems.Problems.NotFound("fault", id);

    private static async Task<Results<Created<FaultView>, ProblemHttpResult>> Inject(FaultRequestBody body, IGrainFactory grains, TwinMetrics metrics)
    {
        if (string.IsNullOrWhiteSpace(body.Kind))
        {
            return Problems.Problems.BadRequest("kind", "kind is required, e.g. \"gpu-xid\"; GET /api/v1/faults/kinds lists them");
        }
        if (string.IsNullOrWhiteSpace(body.Target))
        {
            return Problems.Problems.BadRequest("target", "target is required: a device id, site/host/hNNNN, a site name or dci/a-b");
        }
        var (parameters, badParameter) = ParameterText.Read(body.Parameters);
        if (badParameter is not null)
        {
            return badParameter;
        }
        TimeSpan? duration = null;
        if (body.Duration is not null)
        {
            if (!DurationText.TryParse(body.Duration, out var d) || d <= TimeSpan.Zero)
            {
                return Problems.Problems.BadRequest("duration", $"'{body.Duration}' is not a positive duration such as 90s, 15m, 6h or 00:15:00");
            }
            duration = d;
        }
        var outcome = await Registry(grains).Inject(new InjectFault(body.Kind, body.Target, parameters, body.At, duration));
        if (outcome.Succeeded)
        {
            metrics.FaultInjected(body.Kind);
        }
        return outcome.Fault is { } fault && outcome.Succeeded
            ? TypedResults.Created($"/api/v1/faults/{fault.Id}", fault)
            : Refused(outcome);
    }

    private static async Task<Results<Ok<FaultView>, ProblemHttpResult>> Repair(string id, IGrainFactory grains)
    {
        var outcome = await Registry(grains).Repair(id);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Fault!) : Refused(outcome);
    }

    private static ProblemHttpResult Refused(FaultOutcome outcome) =>
        Problems.Problems.Refused(outcome.Refused!.Value, outcome.Field, outcome.Error, "fault target or id");
}
