using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Twin.Api.Views;
using Twin.Model.Planning;
using Twin.Model.Topology;

namespace Twin.Api.Endpoints;

/// <summary><c>/api/v1/plans</c>: what-if fabric planning (tiers, switches, optics, power, latency) and a loadable topology from a plan.</summary>
public static class PlanEndpoints
{
    public static IEndpointRouteBuilder MapPlans(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/plans").WithTags("plans");
        api.MapPost("/fabric", (FabricPlanBody body) => Run(() => TypedResults.Ok(FabricPlanner.Plan(body.ToRequest()))))
            .WithSummary("Plan a fabric: tiers, switches per tier, transceivers, fabric power, latency, yearly energy cost, bisection.");
        api.MapPost("/fabric/compare", (FabricPlanBody body) => Run(() => TypedResults.Ok(FabricPlanner.Compare(body.ToRequest()))))
            .WithSummary("The same fabric with DSP, LPO and CPO optics side by side, with savings against DSP.");
        api.MapPost("/topology", (FabricPlanBody body) => Run(() => Topology(body)))
            .Produces(200, contentType: "application/yaml")
            .WithSummary("A one-site topology YAML from a plan, loadable by the twin (Twin:Topology).");
        return app;
    }

    private static Results<TOk, ProblemHttpResult> Run<TOk>(Func<TOk> plan) where TOk : IResult
    {
        try
        {
            return plan();
        }
        catch (FabricPlanException e)
        {
            return Problems.Problems.BadRequest(e.Field, e.Message);
        }
    }

    private static ContentHttpResult Topology(FabricPlanBody body)
    {
        var request = body.ToRequest();
        var plan = FabricPlanner.Plan(request);
        var site = body.Site ?? "planned";
        var yaml = PlanTopologyWriter.Write(request, plan, site, body.GpusPerHost ?? 8, body.GpuModel ?? "H100-SXM5-80GB");
        try
        {
            TopologyLoader.Parse(yaml, "plan");
        }
        catch (TopologyException e)
        {
            // the plan's layout does not fit a rail-optimised site of these hosts: say which field to change
            var first = e.Errors[0];
            throw new FabricPlanException(first.Field == "sites[0].name" ? "site" : first.Field.Replace("sites[0].", "", StringComparison.Ordinal), first.Message);
        }
        return TypedResults.Text(yaml, "application/yaml");
    }
}
