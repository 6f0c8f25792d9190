using Twin.Model.Workloads;

namespace Twin.Model.Inference;

/// <summary>
/// What an inference service can serve on the replicas it has, and how fast. Each engine step runs the kernels of
/// a transformer one after another, so its time is the sum of what each kind of kernel is bound by:
/// <list type="bullet">
/// <item>The weight GEMMs read the weights once for every token in the step and do 2·params FLOPs per token:
/// max(W / HBM bandwidth, 2·P·tokens / tensor peak) — memory-bound at small batches, compute-bound when prefill
/// chunks fill the step.</item>
/// <item>Decode attention reads every running sequence's KV cache (b·C̄·kv bytes, C̄ the mean context); prefill
/// attention does 2·L·d·Tin FLOPs per prompt token (causal).</item>
/// <item>Tensor parallelism all-reduces the activations twice per layer over NVLink: 2·L·(α + 2(g−1)/g · tokens·d·2 / busbw).</item>
/// <item>Chunked prefill (Sarathi-Serve, vLLM and TensorRT-LLM's default): prompts are split into chunks that ride
/// along the decode steps, so in steady state each step of b sequences also carries b·Tin·miss/Tout prompt tokens.</item>
/// </list>
/// The batch is bounded by the KV cache room (a request is admitted only when its whole prompt + output fits,
/// as TensorRT-LLM's guaranteed-no-evict scheduler does) and by the TPOT SLA. A replica serves b / (step · Tout)
/// requests a second; TTFT waits in an M/M/1 queue, (prefill + KV fetch) / (1 − ρ), overloaded at ρ ≥ 1.
/// Both the batch-1 figures (one request alone) and the saturated ones are reported.
/// </summary>
public static class InferenceModel
{
    /// <summary>Share of HBM the engine gives to weights, activations and KV (TensorRT-LLM / vLLM default 0.9).</summary>
    public const double UsableHbm = 0.9;

    /// <summary>
    /// Memory-bandwidth utilisation decode kernels reach (MBU): ≈ 55–60 % at batch 1 measured on A100 (Databricks,
    /// "LLM Inference Performance Engineering: Best Practices", 2023), higher with fused Hopper kernels; 0.65 taken.
    /// </summary>
    public const double MemoryBandwidthUtilization = 0.65;

    /// <summary>Share of the dense tensor peak large prefill GEMMs and attention reach (≈ 50 %).</summary>
    public const double ComputeUtilization = 0.5;

    /// <summary>Latency of one small all-reduce inside an NVLink domain (nccl-tests on HGX H100: ≈ 10 µs below 64 KB).</summary>
    public const double NvlinkAllReduceSeconds = 10e-6;

    /// <summary>Tokens per engine step the activations are sized for (TensorRT-LLM's max_num_tokens default).</summary>
    public const double ChunkTokens = 8192;

    /// <summary>Activation bytes per token of one layer (Korthikanti et al. 2022: 34·d per token; one layer is live at a time).</summary>
    public const double ActivationBytesPerTokenPerHidden = 34;

    /// <summary>Why the model cannot run on a replica at all, or null when its weights fit.</summary>
    public static string? WontFit(InferenceServiceSpec spec, GpuSpecs.Spec gpu)
    {
        var perRequest = (spec.TokensIn + spec.TokensOut) * spec.KvBytesPerToken;
        return KvBudget(spec, gpu) < perRequest
            ? $"{spec.WeightBytes / 1e9:N0} GB of weights and one request's {perRequest / 1e9:N1} GB of KV cache do not fit in {spec.GpusPerReplica} × {gpu.HbmGB:N0} GB of HBM"
            : null;
    }

    /// <summary>HBM left for the KV cache: the usable share of what weights and one chunk's activations leave.</summary>
    public static double KvBudget(InferenceServiceSpec spec, GpuSpecs.Spec gpu) =>
        UsableHbm * (spec.GpusPerReplica * gpu.HbmGB * 1e9 - spec.WeightBytes - ChunkTokens * ActivationBytesPerTokenPerHidden * spec.HiddenSize);

    public static InferenceEstimate Estimate(InferenceServiceSpec spec, int healthyReplicas, GpuSpecs.Spec gpu, double nvmeShare = 1.0)
    {
        var replica = new Replica(spec, gpu, nvmeShare);
        var maxBatch = Math.Max(1, Math.Floor(KvBudget(spec, gpu) / ((spec.TokensIn + spec.TokensOut) * spec.KvBytesPerToken)));
        // the largest batch whose step still meets the TPOT SLA (at least one sequence): the step grows with b
        double lo = 1, hi = maxBatch;
        while (lo < hi)
        {
            var mid = Math.Ceiling((lo + hi) / 2);
            if (replica.Step(mid) * 1000 <= spec.TpotSlaMs)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        var batch = lo;
        var saturatedStep = replica.Step(batch);
        var tokensPerSecond = batch / saturatedStep;
        var replicaRps = tokensPerSecond / spec.TokensOut;
        var capacity = healthyReplicas * replicaRps;

        var prefill = replica.Prefill();
        var fetch = replica.Fetch();
        var rho = capacity > 0 ? spec.RequestsPerSecond / capacity : double.PositiveInfinity;
        var tpot = replica.Step(Math.Max(1, Math.Min(batch, rho * batch)));
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
            prefill * 1000, fetch * 1000, breach is null, breach,
            BatchOneTtftMs: (prefill + fetch) * 1000,
            BatchOneTpotMs: replica.Step(1, prefillRidesAlong: false) * 1000,
            SaturatedTokensPerSecond: tokensPerSecond,
            SaturatedTpotMs: saturatedStep * 1000);
    }

    // One replica's kernels: the roofline of each kind, in the order an engine step runs them.
    private sealed class Replica(InferenceServiceSpec spec, GpuSpecs.Spec gpu, double nvmeShare)
    {
        private readonly int _g = spec.GpusPerReplica;
        private readonly double _flops = spec.GpusPerReplica * gpu.DenseTflops(spec.EffectivePrecision) * 1e12 * ComputeUtilization;
        private readonly double _bandwidth = spec.GpusPerReplica * gpu.HbmTBps * 1e12 * MemoryBandwidthUtilization;
        private readonly Storage.KvCacheTiers _cache = spec.Cache(nvmeShare);

        // Prompt tokens the prefix cache misses: recomputed by prefill.
        private double MissTokens => spec.TokensIn * _cache.MissFraction;

        private double MeanContext => spec.TokensIn + spec.TokensOut / 2;

        /// <summary>One decode step of <paramref name="batch"/> sequences, with the prompt chunks that ride along in steady state.</summary>
        public double Step(double batch, bool prefillRidesAlong = true)
        {
            var prompt = prefillRidesAlong ? batch * MissTokens / spec.TokensOut : 0;
            var tokens = batch + prompt;
            return Gemms(tokens, 1) + batch * MeanContext * spec.KvBytesPerToken / _bandwidth
                + prompt * PrefillAttentionFlopsPerToken / _flops + AllReduces(tokens);
        }

        /// <summary>One prompt alone, in chunks: each chunk reads the weights once and computes its tokens.</summary>
        public double Prefill()
        {
            var tokens = MissTokens;
            if (tokens <= 0)
            {
                return 0;
            }
            var chunks = Math.Ceiling(tokens / ChunkTokens);
            return Gemms(tokens, chunks) + tokens * PrefillAttentionFlopsPerToken / _flops + chunks * AllReduces(tokens / chunks);
        }

        /// <summary>Fetching the cached part of the prompt's KV, each GPU its 1/g share.</summary>
        public double Fetch() => _cache.ExpectedLatencySeconds(spec.TokensIn * spec.KvBytesPerToken / _g);

        private double PrefillAttentionFlopsPerToken => 2 * spec.Layers * spec.HiddenSize * spec.TokensIn;

        private double Gemms(double tokens, double weightReads) =>
            Math.Max(weightReads * spec.WeightBytes / _bandwidth, 2 * spec.ModelParams * tokens / _flops);

        private double AllReduces(double tokens) => _g <= 1 ? 0
            : 2 * spec.Layers * (NvlinkAllReduceSeconds + 2.0 * (_g - 1) / _g * tokens * spec.HiddenSize * 2 / (gpu.NvlinkBusGBps * 1e9));
    }
}
