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

    private static async Task<Results<Created<JobView>, ProblemHttpResult>> Submit(JobRequestBody body, IGrainFactory grains)
    {
        var (spec, misspelt) = ToSpec(body);
        if (spec is null)
        {
            return misspelt!;
        }
        // the registry checks the job with TrainingJobSpec.Validate, as scenario files are checked
        var outcome = await Registry(grains).Submit(TrainingJobDefinition.From(spec), null);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/v1/jobs/{outcome.Job!.Id}", outcome.Job)
            : Problems.Problems.Refused(outcome.Refused!.Value, outcome.Field, outcome.Error, "job");
    }

    // The body as a job spec: what it leaves out takes the spec's defaults (tp 8, pp 1, dp from the rest);
    // a misspelt word is a 400 here, every other rule is the spec's own Validate.
    private static (TrainingJobSpec?, ProblemHttpResult?) ToSpec(JobRequestBody b)
    {
        var onFailure = FailurePolicy.Spares;
        var onDciCut = DciCutPolicy.Stop;
        if (b.Kind is not (null or "training"))
        {
            return (null, Problems.Problems.BadRequest("kind", $"kind '{b.Kind}' is not supported; use \"training\""));
        }
        if (b.Aggregation is not (null or "hierarchical" or "flat"))
        {
            return (null, Problems.Problems.BadRequest("aggregation", "aggregation is hierarchical or flat"));
        }
        if (b.OnFailure is not null && !JobPolicies.TryParse(b.OnFailure, out onFailure))
        {
            return (null, Problems.Problems.BadRequest("onFailure", "onFailure is spares or shrink"));
        }
        if (b.OnDciCut is not null && !JobPolicies.TryParse(b.OnDciCut, out onDciCut))
        {
            return (null, Problems.Problems.BadRequest("onDciCut", "onDciCut is stop or split"));
        }
        var defaults = new TrainingJobSpec { Name = "", Gpus = 0 };
        var (tp, pp) = (b.Parallelism?.Tp ?? defaults.Tp, b.Parallelism?.Pp ?? defaults.Pp);
        var gpus = b.Gpus ?? 0;
        return (new TrainingJobSpec
        {
            Name = b.Name ?? "",
            Gpus = gpus,
            Sites = b.Sites ?? [],
            Tp = tp,
            Pp = pp,
            Dp = b.Parallelism?.Dp ?? TrainingJobSpec.DefaultDp(gpus, tp, pp),
            ModelParams = b.ModelParams ?? defaults.ModelParams,
            TokensPerStep = b.TokensPerStep ?? defaults.TokensPerStep,
            // a span TimeSpan cannot hold is no interval at all: Validate refuses it by name
            CheckpointInterval = b.Checkpoint?.IntervalMinutes is { } minutes
                ? minutes is > 0 and < 1e9 ? TimeSpan.FromMinutes(minutes) : TimeSpan.Zero
                : defaults.CheckpointInterval,
            CheckpointSizeGB = b.Checkpoint?.SizeGB ?? defaults.CheckpointSizeGB,
            OnFailure = onFailure,
            OnDciCut = onDciCut,
            Overlap = b.Overlap ?? defaults.Overlap,
            SyncEverySteps = b.SyncEverySteps ?? defaults.SyncEverySteps,
            Hierarchical = b.Aggregation is null or "hierarchical",
            DatasetBytesPerToken = b.Dataset?.BytesPerToken ?? defaults.DatasetBytesPerToken,
        }, null);
    }
}
