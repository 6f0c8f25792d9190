using Twin.Model.Workloads;

namespace Twin.Model.Inference;

/// <summary>
/// What an inference service can serve on the replicas it has, and how fast. A first-order model, each step a
/// published rule of thumb:
/// <list type="bullet">
/// <item>Decode is memory-bound: one step reads the weights once for the whole batch plus every sequence's KV
/// cache, so TPOT(b) = (W + b·C̄·kv) / (g·HBM bandwidth), with C̄ the mean context while decoding.</item>
/// <item>The batch is bounded by HBM left for KV after the weights (90 % of HBM usable) and by the TPOT SLA.</item>
/// <item>Prefill is compute-bound: 2·params FLOPs per prompt token not found in the prefix cache, at half of
/// peak; cached prompt KV is fetched from HBM, host DRAM or NVMe (<see cref="Storage.KvCacheTiers"/>, each GPU
/// fetching its 1/g share).</item>
/// <item>A replica serves 1 / (prefill + output tokens · TPOT / batch) requests a second; TTFT waits in an M/M/1
/// queue, so it grows as service / (1 − ρ) and the service is overloaded at ρ ≥ 1.</item>
/// </list>
/// </summary>
public static class InferenceModel
{
    public const double UsableHbm = 0.9;
    public const double PrefillEfficiency = 0.5;

    /// <summary>Why the model cannot run on a replica at all, or null when its weights fit.</summary>
    public static string? WontFit(InferenceServiceSpec spec, GpuSpecs.Spec gpu)
    {
        var hbm = spec.GpusPerReplica * gpu.HbmGB * 1e9 * UsableHbm;
        var perRequest = (spec.TokensIn + spec.TokensOut) * spec.KvBytesPerToken;
        return hbm - spec.WeightBytes < perRequest
            ? $"{spec.WeightBytes / 1e9:N0} GB of weights and one request's {perRequest / 1e9:N1} GB of KV cache do not fit in {spec.GpusPerReplica} × {gpu.HbmGB:N0} GB of HBM"
            : null;
    }

    public static InferenceEstimate Estimate(InferenceServiceSpec spec, int healthyReplicas, GpuSpecs.Spec gpu, double nvmeShare = 1.0)
    {
        var g = spec.GpusPerReplica;
        var bandwidth = g * gpu.HbmTBps * 1e12;
        var kvBudget = g * gpu.HbmGB * 1e9 * UsableHbm - spec.WeightBytes;
        var maxBatch = Math.Max(1, Math.Floor(kvBudget / ((spec.TokensIn + spec.TokensOut) * spec.KvBytesPerToken)));
        var meanContext = spec.TokensIn + spec.TokensOut / 2;
        double Tpot(double batch) => (spec.WeightBytes + batch * meanContext * spec.KvBytesPerToken) / bandwidth;

        // the largest batch whose step still meets the TPOT SLA (at least one sequence)
        var slaBatch = Math.Floor((spec.TpotSlaMs / 1000 * bandwidth - spec.WeightBytes) / (meanContext * spec.KvBytesPerToken));
        var batch = Math.Max(1, Math.Min(maxBatch, slaBatch));

        var cache = spec.Cache(nvmeShare);
        var prefill = 2 * spec.ModelParams * spec.TokensIn * cache.MissFraction / (g * gpu.PeakTflops * 1e12 * PrefillEfficiency);
        var fetch = cache.ExpectedLatencySeconds(spec.TokensIn * spec.KvBytesPerToken / g);
        var perRequest = prefill + spec.TokensOut * Tpot(batch) / batch;
        var replicaRps = 1 / perRequest;
        var capacity = healthyReplicas * replicaRps;

        var rho = capacity > 0 ? spec.RequestsPerSecond / capacity : double.PositiveInfinity;
        var operatingBatch = Math.Max(1, Math.Min(batch, rho * batch));
        var tpot = Tpot(operatingBatch);
        var ttft = rho < 1 ? (prefill + fetch) / (1 - rho) : double.PositiveInfinity;

        string? breach = null;
        if (healthyReplicas == 0)
        {
            breach = "no healthy replica";
        }
        else if (rho >= 1)
        {
            breach = $"overloaded: {spec.RequestsPerSecond:N1} req/s against a capacity of {capacity:N1}";
        }
        else if (ttft * 1000 > spec.TtftSlaMs)
        {
            breach = $"TTFT {ttft * 1000:N0} ms > {spec.TtftSlaMs:N0} ms";
        }
        else if (tpot * 1000 > spec.TpotSlaMs)
        {
            breach = $"TPOT {tpot * 1000:N1} ms > {spec.TpotSlaMs:N0} ms";
        }
        return new InferenceEstimate(healthyReplicas, (int)maxBatch, (int)batch, replicaRps, capacity, rho, ttft * 1000, tpot * 1000,
            prefill * 1000, fetch * 1000, breach is null, breach);
    }
}

/// <summary>
/// An inference service's figures: replicas up, batch bounds, capacity (req/s), utilisation ρ, TTFT and TPOT (ms;
/// infinite when overloaded), the prefill and KV-fetch parts of TTFT, and whether the SLA holds (and why not).
/// </summary>
public sealed record InferenceEstimate(
    int HealthyReplicas,
    int MaxBatch,
    int Batch,
    double ReplicaRequestsPerSecond,
    double CapacityRequestsPerSecond,
    double Utilization,
    double TtftMs,
    double TpotMs,
    double PrefillMs,
    double KvFetchMs,
    bool SlaMet,
    string? Breach);
