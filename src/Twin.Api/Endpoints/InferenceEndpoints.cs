using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Twin.Api.Views;
using Twin.Contracts.Inference;
using Twin.Contracts.Jobs;
using Twin.Contracts.Streams;
using Twin.Model.Inference;
using Twin.Model.Workloads;

namespace Twin.Api.Endpoints;

/// <summary><c>/api/v1/inference</c>: deploy inference services, read their capacity and latency against the SLA, stop them.</summary>
public static class InferenceEndpoints
{
    public static IEndpointRouteBuilder MapInference(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/inference").WithTags("inference");
        api.MapGet("/", List).WithSummary("Every inference service with its replicas up, utilisation, TTFT/TPOT and SLA state.");
        api.MapGet("/{id}", Get).WithSummary("One inference service: placement per replica, capacity, latency parts, SLA, timeline.");
        api.MapPost("/", Deploy).WithSummary("Deploy an inference service; replicas placed inside NVLink domains; 409 when GPUs are missing.");
        api.MapDelete("/{id}", Stop).WithSummary("Stop a service and free its GPUs.");
        return app;
    }

    private static IJobRegistryGrain Registry(IGrainFactory grains) => grains.GetGrain<IJobRegistryGrain>(TwinStreams.FactoryKey);

    private static async Task<Ok<ItemsView<InferenceView>>> List(IGrainFactory grains, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var views = await Task.WhenAll((await Registry(grains).ServiceIds()).Select(id => grains.GetGrain<IInferenceServiceGrain>(id).GetView(now)));
        return TypedResults.Ok(new ItemsView<InferenceView>(views));
    }

    private static async Task<Results<Ok<InferenceView>, ProblemHttpResult>> Get(string id, IGrainFactory grains, TimeProvider time) =>
        (await Registry(grains).ServiceIds()).Contains(id)
            ? TypedResults.Ok(await grains.GetGrain<IInferenceServiceGrain>(id).GetView(time.GetUtcNow()))
            : Problems.Problems.NotFound("inference service", id);

    private static async Task<Results<Ok<InferenceView>, ProblemHttpResult>> Stop(string id, IGrainFactory grains, TimeProvider time) =>
        (await Registry(grains).ServiceIds()).Contains(id)
            ? TypedResults.Ok(await grains.GetGrain<IInferenceServiceGrain>(id).Stop(time.GetUtcNow()))
            : Problems.Problems.NotFound("inference service", id);

    private static async Task<Results<Created<InferenceView>, ProblemHttpResult>> Deploy(InferenceRequestBody body, IGrainFactory grains)
    {
        if (Validate(body) is { } problem)
        {
            return problem;
        }
        var defaults = new InferenceServiceSpec { Name = body.Name!, Site = body.Site! };
        var precision = ModelPrecisions.Parse(body.Model?.Precision);
        var spec = defaults with
        {
            ModelParams = body.Model?.Params ?? defaults.ModelParams,
            BytesPerParam = body.Model?.BytesPerParam ?? precision?.BytesPerParam() ?? defaults.BytesPerParam,
            Precision = precision,
            Layers = body.Model?.Layers ?? defaults.Layers,
            HiddenSize = body.Model?.HiddenSize ?? defaults.HiddenSize,
            Replicas = body.Replicas ?? defaults.Replicas,
            GpusPerReplica = body.GpusPerReplica ?? defaults.GpusPerReplica,
            RequestsPerSecond = body.RequestsPerSecond ?? defaults.RequestsPerSecond,
            TokensIn = body.TokensIn ?? defaults.TokensIn,
            TokensOut = body.TokensOut ?? defaults.TokensOut,
            KvBytesPerToken = body.KvBytesPerToken ?? defaults.KvBytesPerToken,
            HbmHitRatio = body.KvCache?.HbmHitRatio ?? defaults.HbmHitRatio,
            DramHitRatio = body.KvCache?.DramHitRatio ?? defaults.DramHitRatio,
            NvmeHitRatio = body.KvCache?.NvmeHitRatio ?? defaults.NvmeHitRatio,
            TtftSlaMs = body.SlaMs?.Ttft ?? defaults.TtftSlaMs,
            TpotSlaMs = body.SlaMs?.Tpot ?? defaults.TpotSlaMs,
        };
        var outcome = await Registry(grains).Deploy(InferenceServiceDefinition.From(spec), null);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/v1/inference/{outcome.Service!.Id}", outcome.Service)
            : Problems.Problems.Refused(outcome.Refused!.Value, outcome.Field, outcome.Error, "service");
    }

    private static ProblemHttpResult? Validate(InferenceRequestBody b)
    {
        static bool Positive(double? v) => v is null || (double.IsFinite(v.Value) && v > 0);
        static bool Ratio(double? v) => v is null || v is >= 0 and <= 1;
        (bool Ok, string Field, string Message)[] checks =
        [
            (!string.IsNullOrWhiteSpace(b.Name), "name", "name is required"),
            (!string.IsNullOrWhiteSpace(b.Site), "site", "site is required"),
            (b.Replicas is null or >= 1, "replicas", "replicas must be ≥ 1"),
            (b.GpusPerReplica is null or >= 1, "gpusPerReplica", "gpusPerReplica must be ≥ 1"),
            (Positive(b.Model?.Params), "model.params", "must be a positive number"),
            (Positive(b.Model?.BytesPerParam), "model.bytesPerParam", "must be a positive number"),
            (b.Model?.Precision is null || ModelPrecisions.Parse(b.Model.Precision) is not null, "model.precision", "must be bf16, fp8 or fp4"),
            (b.Model?.Layers is null or >= 1, "model.layers", "must be ≥ 1"),
            (Positive(b.Model?.HiddenSize), "model.hiddenSize", "must be a positive number"),
            (b.RequestsPerSecond is null || (double.IsFinite(b.RequestsPerSecond.Value) && b.RequestsPerSecond >= 0), "requestsPerSecond", "must be a number ≥ 0"),
            (Positive(b.TokensIn), "tokensIn", "must be a positive number"),
            (Positive(b.TokensOut), "tokensOut", "must be a positive number"),
            (Positive(b.KvBytesPerToken), "kvBytesPerToken", "must be a positive number"),
            (Ratio(b.KvCache?.HbmHitRatio), "kvCache.hbmHitRatio", "a hit ratio is between 0 and 1"),
            (Ratio(b.KvCache?.DramHitRatio), "kvCache.dramHitRatio", "a hit ratio is between 0 and 1"),
            (Ratio(b.KvCache?.NvmeHitRatio), "kvCache.nvmeHitRatio", "a hit ratio is between 0 and 1"),
            (Positive(b.SlaMs?.Ttft), "slaMs.ttft", "must be a positive number of milliseconds"),
            (Positive(b.SlaMs?.Tpot), "slaMs.tpot", "must be a positive number of milliseconds"),
        ];
        return checks.FirstOrDefault(c => !c.Ok) is { Field: not null } failed
            ? Problems.Problems.BadRequest(failed.Field, failed.Message)
            : null;
    }
}
