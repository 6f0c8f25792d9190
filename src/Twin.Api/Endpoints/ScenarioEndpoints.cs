using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Twin.Api.Views;
using Twin.Contracts.Scenarios;
using Twin.Model.Scenarios;

namespace Twin.Api.Endpoints;

/// <summary><c>/api/v1/scenarios</c>: the shipped fault-injection scenarios, runs on a virtual clock, their reports.</summary>
public static class ScenarioEndpoints
{
    public static IEndpointRouteBuilder MapScenarios(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/scenarios").WithTags("scenarios");
        api.MapGet("/", List).WithSummary("Scenario files (scenarios/faults/*.yaml) with their topology, duration and expectations.");
        api.MapPost("/{name}/runs", Start).WithSummary("Run a scenario on the simulated world on a virtual clock (as fast as possible, or at 'speed'); 202 with the run.");
        api.MapGet("/runs/{id}", Status).WithSummary("A run's state, progress and virtual time.");
        api.MapGet("/runs/{id}/report", Report).WithSummary("The run's report (JSON, or ?format=html for the page with charts); 409 while it runs.");
        return app;
    }

    /// <summary>Where scenario files live: the working directory's scenarios/faults, else the install directory's.</summary>
    public static string Folder()
    {
        var local = Path.Combine("scenarios", "faults");
        return Directory.Exists(local) ? local : Path.Combine(AppContext.BaseDirectory, local);
    }

    private static Ok<ItemsView<ScenarioInfo>> List()
    {
        var items = new List<ScenarioInfo>();
        var files = Directory.Exists(Folder()) ? Directory.GetFiles(Folder(), "*.yaml") : [];
        foreach (var file in files.Order())
        {
            var name = Path.GetFileNameWithoutExtension(file);
            try
            {
                var spec = ScenarioLoader.LoadFile(file);
                items.Add(new ScenarioInfo(name, spec.Description, spec.Topology, spec.Duration.TotalSeconds, spec.Seed,
                    spec.Workloads.Count, spec.Expectations.Select(e => e.Text).ToList(), null));
            }
            catch (ScenarioException e)
            {
                items.Add(new ScenarioInfo(name, null, "", 0, 0, 0, [], string.Join("; ", e.Errors)));
            }
        }
        return TypedResults.Ok(new ItemsView<ScenarioInfo>(items));
    }

    private static async Task<Results<Accepted<ScenarioRunStatus>, ProblemHttpResult>> Start(string name, IGrainFactory grains, ScenarioRunBody? body = null)
    {
        var path = Path.Combine(Folder(), name + ".yaml");
        if (name.IndexOfAny(['/', '\\', '.']) >= 0 || !File.Exists(path))
        {
            return Problems.Problems.NotFound("scenario", name);
        }
        if (body?.Speed is <= 0 or > 1e9)
        {
            return Problems.Problems.BadRequest("speed", "speed is virtual seconds per wall second, > 0 (omit it to run as fast as possible)");
        }
        try
        {
            ScenarioLoader.LoadFile(path);
        }
        catch (ScenarioException e)
        {
            var first = e.Errors[0];
            return TypedResults.Problem($"{name}.yaml is invalid: {string.Join("; ", e.Errors)}", statusCode: 409, title: "Invalid scenario file",
                extensions: new Dictionary<string, object?> { ["line"] = first.Line, ["field"] = first.Field });
        }
        var id = "r-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var status = await grains.GetGrain<IScenarioGrain>(id).Start(name, path, body?.Seed, body?.Speed);
        return TypedResults.Accepted($"/api/v1/scenarios/runs/{id}", status);
    }

    private static async Task<Results<Ok<ScenarioRunStatus>, ProblemHttpResult>> Status(string id, IGrainFactory grains) =>
        await grains.GetGrain<IScenarioGrain>(id).GetStatus() is { } status ? TypedResults.Ok(status) : Problems.Problems.NotFound("run", id);

    private static async Task<IResult> Report(string id, IGrainFactory grains, string? format = null)
    {
        var run = grains.GetGrain<IScenarioGrain>(id);
        if (await run.GetStatus() is not { } status)
        {
            return Problems.Problems.NotFound("run", id);
        }
        if (format is not (null or "json" or "html"))
        {
            return Problems.Problems.BadRequest("format", "format is json or html");
        }
        if (await run.GetReport() is not { } json)
        {
            return TypedResults.Problem(status.State == "error" ? status.Error : "the run has not finished; poll /api/v1/scenarios/runs/" + id,
                statusCode: 409, title: status.State == "error" ? "The run failed" : "Still running");
        }
        return format == "html"
            ? TypedResults.Content(ScenarioHtmlReport.Render(ScenarioReport.FromJson(json)), "text/html")
            : TypedResults.Content(json, "application/json");
    }
}

/// <summary>A scenario file as the list shows it (<c>error</c> set when the file does not load).</summary>
public sealed record ScenarioInfo(string Name, string? Description, string Topology, double DurationSeconds, int Seed, int Workloads,
    IReadOnlyList<string> Expectations, string? Error);

/// <summary>Optional overrides of a run.</summary>
public sealed record ScenarioRunBody(int? Seed, double? Speed);
