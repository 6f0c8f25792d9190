using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Twin.Api.Ingestion;
using Twin.Contracts.Sites;
using Twin.Model.Devices;
using Twin.Model.Fabric;
using Twin.Model.Topology;
using Twin.Api.Inventory;
using Twin.Model.Inventory;
using Twin.Model.Inventory.Import;
using Twin.Telemetry.Discovery;

namespace Twin.Api.Endpoints;

/// <summary>
/// The inventory: read it (JSON or YAML) and its JSON Schema, import a file of a known format into a site, list hosts
/// whose telemetry the inventory does not know and adopt them into a site.
/// </summary>
public static class InventoryEndpoints
{
    public static IEndpointRouteBuilder MapInventory(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/inventory").WithTags("inventory");
        api.MapGet("/", Get).WithSummary("The inventory the twin serves (JSON, or YAML with ?format=yaml).");
        api.MapGet("/schema", () => Results.Content(InventorySerializer.Schema().ToJsonString(), "application/schema+json"))
            .WithSummary("JSON Schema of the inventory document (YAML documents follow it too).");
        api.MapPost("/import", Import)
            .WithMetadata(new RequestSizeLimitAttribute(ImportFile.MaxBytes))
            .Accepts<string>("text/plain", "application/json", "multipart/form-data")
            .ProducesProblem(400).ProducesProblem(413).ProducesProblem(422)
            .WithSummary("Imports the body (one file) or the multipart form's files: ?format=twin|ibnetdiscover|dot|netbox|slurm|lldp&site=S (site required but for twin; device= names the reporting device of plain LLDP output).");
        api.MapGet("/sites/{site}/bisection", Bisection)
            .WithSummary("A site's bisection bandwidth computed from its actual links (max-flow between two halves of its GPUs): installed and available now (failed links out, degraded at their share).");
        api.MapGet("/discovered", (DiscoveredHosts discovered) => TypedResults.Ok(new Views.ItemsView<DiscoveredHost>(discovered.List())))
            .WithSummary("Hosts that sent telemetry the inventory does not know: GPUs by index/UUID/model, adapters, first and last seen, samples.");
        api.MapPost("/discovered/{host}/adopt", Adopt)
            .WithSummary("Makes a discovered host a host of the site in the body ({\"site\":\"east\"}); its GPUs become devices.");
        return app;
    }

    private static IResult Get(InventoryService inventory, string? format = null) => format switch
    {
        null or "json" => Results.Content(InventorySerializer.WriteJson(inventory.Current), "application/json"),
        "yaml" => Results.Content(InventorySerializer.WriteYaml(inventory.Current), "application/yaml"),
        _ => Problems.Problems.BadRequest("format", $"format '{format}' is not json or yaml"),
    };

    private static async Task<Results<Ok<ImportReport>, ProblemHttpResult>> Import(HttpContext context, InventoryService inventory,
        string? format = null, string? site = null, string? device = null)
    {
        if (!Enum.TryParse<InventoryFormat>(format, ignoreCase: true, out var f) || !Enum.IsDefined(f) || int.TryParse(format, out _))
        {
            return Problems.Problems.BadRequest("format", $"format '{format}' is not one of {string.Join(", ", Enum.GetNames<InventoryFormat>().Select(n => n.ToLowerInvariant()))}");
        }
        if (context.Request.ContentLength > ImportFile.MaxBytes)
        {
            return TypedResults.Problem($"The body is {context.Request.ContentLength:N0} bytes; the limit is {ImportFile.MaxBytes:N0}.",
                statusCode: 413, title: "Request body too large", extensions: new Dictionary<string, object?> { ["field"] = "body" });
        }
        var files = new List<ImportFile>();
        try
        {
            if (context.Request.HasFormContentType)
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                foreach (var file in form.Files)
                {
                    using var stream = new MemoryStream();
                    await file.CopyToAsync(stream, context.RequestAborted);
                    files.Add(ImportFile.FromBytes(file.FileName, stream.ToArray()));
                }
            }
            else
            {
                using var body = await RequestBody.ReadAll(context.Request, context.RequestAborted);
                files.Add(ImportFile.FromBytes(context.Request.Headers["X-File-Name"].FirstOrDefault() ?? "body", body.Memory.Span));
            }
            if (files.Count == 0 || files.All(x => x.Text.Length == 0))
            {
                return Problems.Problems.BadRequest("body", "the body is empty: send the file as the request body or as multipart form files");
            }
            return TypedResults.Ok(await inventory.Import(f, files, site, device));
        }
        catch (InventoryException e)
        {
            var first = e.Issues.FirstOrDefault();
            // the site and format are the request's fault; a file that is not what it claims is unprocessable
            var status = first?.Path is "site" or "files" ? 400 : 422;
            return TypedResults.Problem(e.Message, statusCode: status, title: status == 400 ? "Invalid import request" : "File not importable",
                extensions: new Dictionary<string, object?>
                {
                    ["field"] = first?.Path,
                    ["line"] = first?.Line,
                    ["issues"] = e.Issues.Take(100).ToList(),
                });
        }
    }

    private static async Task<Results<Ok<SiteBisection>, ProblemHttpResult>> Bisection(string site, FactoryTopology topology, IGrainFactory grains)
    {
        if (site == "dci" || !topology.HasSite(site))
        {
            return Problems.Problems.NotFound("site", site);
        }
        var devices = topology.Devices.Where(d => d.Site == site).ToList();
        var unhealthy = await grains.GetGrain<ISiteCoordinatorGrain>(site).GetUnhealthy();
        var installed = FabricBisection.Compute(devices);
        var available = FabricBisection.Compute(devices, d => unhealthy.TryGetValue(d.Id, out var h) ? h.CapacityShare() : 1);
        return TypedResults.Ok(new SiteBisection(site, installed, available));
    }

    /// <summary>A site's bisection with every link up, and with its links' current health.</summary>
    public sealed record SiteBisection(string Site, BisectionResult Installed, BisectionResult Available);

    private static async Task<Results<Ok<AdoptResult>, ProblemHttpResult>> Adopt(string host, AdoptBody body, InventoryService inventory)
    {
        if (!InventoryNames.IsSiteName(body.Site) || body.Site is "dci" or "factory")
        {
            return Problems.Problems.BadRequest("site", $"'{body.Site}' is not a site name: lower-case letters, digits and '-', starting with a letter");
        }
        try
        {
            return await inventory.Adopt(Uri.UnescapeDataString(host), body.Site!) is { } done
                ? TypedResults.Ok(new AdoptResult(done.Host, done.Report))
                : Problems.Problems.NotFound("discovered host", host);
        }
        catch (InventoryException e)
        {
            return TypedResults.Problem(e.Message, statusCode: 422, title: "Host not adoptable",
                extensions: new Dictionary<string, object?> { ["field"] = e.Issues.FirstOrDefault()?.Path });
        }
    }

    /// <summary>Body of an adopt request: the site the host joins.</summary>
    public sealed record AdoptBody(string? Site);

    public sealed record AdoptResult(DiscoveredHost Host, ImportReport Report);
}
