using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Twin.Api.Security;
using Twin.Api.Views;
using Twin.Contracts.Jobs;
using Twin.Contracts.Streams;
using Twin.Model.Topology;
using Twin.Model.Workloads;

namespace Twin.Api.Endpoints;

/// <summary><c>/api/v1/jobs</c>: submit training jobs, read their step time, goodput and timeline, cancel them.</summary>
public static class JobEndpoints
{
    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/jobs").WithTags("jobs");
        api.MapGet("/", List).WithSummary("Every job with its state, step time and goodput as of now.");
        api.MapGet("/{id}", Get).WithSummary("One job: placement, step time (and the flat-ring alternative), goodput, lost and restore time, timeline.");
        api.MapPost("/", Submit).WithSummary("Submit a training job; placed topology-aware (TP in NVLink domains, whole hosts, DP across sites); 409 when capacity is missing.");
        api.MapDelete("/{id}", Cancel).WithSummary("Cancel a job and free its GPUs.");
        return app;
    }

    private static IJobRegistryGrain Registry(IGrainFactory grains) => grains.GetGrain<IJobRegistryGrain>(TwinStreams.FactoryKey);

    private static async Task<Ok<ItemsView<JobView>>> List(IGrainFactory grains, TimeProvider time, TenantScope scope, HttpContext context)
    {
        var ids = await Registry(grains).JobIds();
        var now = time.GetUtcNow();
        var views = await Task.WhenAll(ids.Select(id => grains.GetGrain<ITrainingJobGrain>(id).GetView(now)));
        var visible = await scope.Placements(context.User) ?? (_ => true);
        return TypedResults.Ok(new ItemsView<JobView>([.. views.Where(v => visible(v.Placement))]));
    }

    private static async Task<Results<Ok<JobView>, ProblemHttpResult>> Get(string id, IGrainFactory grains, TimeProvider time, TenantScope scope, HttpContext context)
    {
        if ((await Registry(grains).JobIds()).Contains(id))
        {
            var view = await grains.GetGrain<ITrainingJobGrain>(id).GetView(time.GetUtcNow());
            if (await scope.Placements(context.User) is not { } visible || visible(view.Placement))
            {
                return TypedResults.Ok(view);
            }
        }
        return Problems.Problems.NotFound("job", id);
    }

    private static async Task<Results<Ok<JobView>, ProblemHttpResult>> Cancel(string id, IGrainFactory grains, TimeProvider time) =>
        (await Registry(grains).JobIds()).Contains(id)
            ? TypedResults.Ok(await grains.GetGrain<ITrainingJobGrain>(id).Cancel(time.GetUtcNow()))
            : Problems.Problems.NotFound("job", id);

    private static async Task<Results<Created<JobView>, ProblemHttpResult>> Submit(JobRequestBody body, IGrainFactory grains, FactoryTopology topology)
    {
        if (Validate(body, topology) is { } problem)
        {
            return problem;
        }
        var p = body.Parallelism!;
        var definition = TrainingJobDefinition.From(new TrainingJobSpec
        {
            Name = body.Name!,
            Gpus = body.Gpus!.Value,
            Sites = body.Sites ?? [],
            Tp = p.Tp ?? 1,
            Pp = p.Pp ?? 1,
            Dp = p.Dp ?? 1,
            ModelParams = body.ModelParams ?? 70e9,
            TokensPerStep = body.TokensPerStep ?? 4e6,
            CheckpointInterval = TimeSpan.FromMinutes(body.Checkpoint?.IntervalMinutes ?? 30),
            CheckpointSizeGB = body.Checkpoint?.SizeGB ?? 1000,
            OnFailure = body.OnFailure ?? "spares",
            OnDciCut = body.OnDciCut ?? "stop",
            Overlap = body.Overlap,
            SyncEverySteps = body.SyncEverySteps ?? 1,
            Hierarchical = body.Aggregation is null or "hierarchical",
            DatasetBytesPerToken = body.Dataset?.BytesPerToken ?? 0,
        });
        var outcome = await Registry(grains).Submit(definition, null);
        return outcome.Status == 201
            ? TypedResults.Created($"/api/v1/jobs/{outcome.Job!.Id}", outcome.Job)
            : outcome.Status == 409
                ? Problems.Problems.NoCapacity(outcome.Field, outcome.Error)
                : Problems.Problems.BadRequest(outcome.Field ?? "body", outcome.Error ?? "invalid job");
    }

    private static ProblemHttpResult? Validate(JobRequestBody b, FactoryTopology topology)
    {
        if (string.IsNullOrWhiteSpace(b.Name))
        {
            return Problems.Problems.BadRequest("name", "name is required");
        }
        if (b.Kind is not (null or "training"))
        {
            return Problems.Problems.BadRequest("kind", $"kind '{b.Kind}' is not supported; use \"training\"");
        }
        if (b.Gpus is not > 0)
        {
            return Problems.Problems.BadRequest("gpus", "gpus must be a positive number");
        }
        if (b.Parallelism is not { } p)
        {
            return Problems.Problems.BadRequest("parallelism", "parallelism {tp, pp, dp} is required");
        }
        if (p.Tp is < 1 || p.Pp is < 1 || p.Dp is < 1)
        {
            return Problems.Problems.BadRequest("parallelism", "tp, pp and dp must be ≥ 1");
        }
        if ((p.Tp ?? 1) * (p.Pp ?? 1) * (p.Dp ?? 1) != b.Gpus)
        {
            return Problems.Problems.BadRequest("parallelism", $"tp × pp × dp = {(p.Tp ?? 1) * (p.Pp ?? 1) * (p.Dp ?? 1)} but gpus = {b.Gpus}");
        }
        foreach (var site in b.Sites ?? [])
        {
            if (!topology.SiteNames.Contains(site))
            {
                return Problems.Problems.BadRequest("sites", $"no site '{site}'; sites are {string.Join(", ", topology.SiteNames)}");
            }
        }
        if (b.Sites is { Length: > 1 } sites && (p.Dp ?? 1) % sites.Length != 0)
        {
            return Problems.Problems.BadRequest("parallelism.dp", $"dp {p.Dp} must split evenly over {sites.Length} sites (DP is the dimension that crosses sites)");
        }
        if (b.ModelParams is <= 0 || b.TokensPerStep is <= 0)
        {
            return Problems.Problems.BadRequest(b.ModelParams is <= 0 ? "modelParams" : "tokensPerStep", "must be positive");
        }
        if (b.Dataset is { BytesPerToken: < 0 or double.NaN or double.PositiveInfinity })
        {
            return Problems.Problems.BadRequest("dataset.bytesPerToken", "bytes per token must be a finite number ≥ 0");
        }
        if (b.Checkpoint is { IntervalMinutes: <= 0 } or { SizeGB: <= 0 })
        {
            return Problems.Problems.BadRequest(b.Checkpoint.IntervalMinutes is <= 0 ? "checkpoint.intervalMinutes" : "checkpoint.sizeGB", "must be positive");
        }
        if (b.OnFailure is not (null or "spares" or "shrink"))
        {
            return Problems.Problems.BadRequest("onFailure", "onFailure is spares or shrink");
        }
        if (b.OnDciCut is not (null or "stop" or "split"))
        {
            return Problems.Problems.BadRequest("onDciCut", "onDciCut is stop or split");
        }
        if (b.Overlap is < 0 or > 1)
        {
            return Problems.Problems.BadRequest("overlap", "overlap is a fraction between 0 and 1");
        }
        if (b.SyncEverySteps is < 1)
        {
            return Problems.Problems.BadRequest("syncEverySteps", "syncEverySteps must be ≥ 1");
        }
        if (b.Aggregation is not (null or "hierarchical" or "flat"))
        {
            return Problems.Problems.BadRequest("aggregation", "aggregation is hierarchical or flat");
        }
        return null;
    }
}
