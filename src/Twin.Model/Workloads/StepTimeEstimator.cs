using Twin.Model.Collectives;

namespace Twin.Model.Workloads;

/// <summary>
/// Step time of a synchronous 3D-parallel (tensor × pipeline × data) dense transformer job:
/// <list type="bullet">
/// <item>Compute = 6·N·T / (G · dense peak of the job's precision · achievable MFU of the GPU model).</item>
/// <item>Tensor parallelism (inside the NVLink domain, Megatron with sequence parallelism): per layer and micro-batch
/// eight all-gathers / reduce-scatters of the micro-batch's activations s·d·2 bytes (one each around attention and the
/// MLP, forward, and their conjugates backward), at the domain's nccl-tests bus bandwidth; a stage runs L/pp layers.</item>
/// <item>Pipeline: the 1F1B bubble (pp−1)/(v·m) stretches compute and TP (v model chunks per rank, m micro-batches);
/// each micro-batch sends its activations forward and gradients back at every chunk boundary, each TP rank its 1/tp
/// slice over its own NIC.</item>
/// <item>Data parallelism: each DP group reduces a gradient shard of bytes-per-gradient·N/(tp·pp): inside each site over
/// the NICs (divided by the fabric's congestion), then across sites over DCI (its bandwidth shared by all tp·pp
/// groups, each stream also bounded by its in-flight window over the RTT, loss recovered per the transport). The
/// flat-ring alternative is one pipelined ring over every DP rank at the slowest hop.</item>
/// <item>Overlap from the schedule: the DP reduction hides behind one micro-batch of compute (the gradient
/// reduce-scatter under the last backward, the parameter all-gather under the first forward), unless the job
/// declares the share of compute it overlaps.</item>
/// </list>
/// </summary>
public static class StepTimeEstimator
{
    /// <summary>Per-hop latency inside an NVLink domain.</summary>
    public const double NvlinkAlphaSeconds = 1e-6;

    /// <summary>All-gathers and reduce-scatters of a micro-batch's activations per layer: four forward, four backward.</summary>
    public const int TensorParallelCollectivesPerLayer = 8;

    public static StepEstimate Estimate(TrainingJobSpec job, JobEnvironment env)
    {
        var gpu = GpuSpecs.For(env.GpuModel);
        var peak = gpu.DenseTflops(job.Precision) * 1e12;
        var flops = 6 * job.ModelParams * job.TokensPerStep;
        var compute = flops / (job.Gpus * peak * (env.ComputeEfficiency ?? gpu.TrainingMfu));

        var (layers, hidden) = Shape(job);
        var microBatches = job.MicroBatches ?? (int)Math.Max(1, Math.Round(job.TokensPerStep / (job.SequenceLength * Math.Max(1, job.Dp))));
        var interleave = Math.Max(1, job.PipelineInterleave);
        var microBatchTokens = job.TokensPerStep / Math.Max(1, job.Dp) / microBatches;
        var activationBytes = microBatchTokens * hidden * 2;

        var tensorParallel = job.Tp > 1
            ? layers / Math.Max(1, job.Pp) * microBatches * TensorParallelCollectivesPerLayer
              * ReduceScatter.Seconds(activationBytes, job.Tp, gpu.NvlinkBusGBps * 1e9, NvlinkAlphaSeconds)
            : 0;
        var bubble = job.Pp > 1 ? (job.Pp - 1.0) / (interleave * microBatches) : 0;
        var nicBytes = env.NicGbps / 8 * 1e9 * Math.Max(1e-3, env.FabricShare);
        var pipelineParallel = job.Pp > 1
            ? 2.0 * interleave * microBatches * (env.FabricAlphaSeconds + activationBytes / Math.Max(1, job.Tp) / (nicBytes / env.FabricOversubscription))
            : 0;
        var pipelined = (compute + tensorParallel) * (1 + bubble) + pipelineParallel;

        var shards = Math.Max(1, job.Tp * job.Pp);
        var bytes = job.GradientBytesPerParam * job.ModelParams / shards;
        var sites = Math.Max(1, env.Sites);
        var dpPerSite = Math.Max(1, job.Dp / sites);
        // one NVLink rank: TP already lives in the domain, the DP group starts at the NIC
        var domain = new CollectiveLevel(1, gpu.NvlinkBusGBps * 1e9, NvlinkAlphaSeconds);
        var site = new CollectiveLevel(dpPerSite, nicBytes, env.FabricAlphaSeconds, Oversubscription: env.FabricOversubscription);
        var dciPerGroup = sites > 1 ? Math.Max(1e-3, env.DciAvailableGbps) / 8 * 1e9 / shards : nicBytes;
        var dci = sites > 1
            ? CollectiveLevel.Dci(sites, env.DciDistanceKm, dciPerGroup, Math.Min(0.99, env.DciLossRate),
                recovery: env.DciLossRecovery, inFlightBytes: job.DciInFlightBytes ?? NcclWindow.DefaultInFlightBytes)
            : new CollectiveLevel(1, nicBytes, 0);

        var hierarchical = HierarchicalAllReduce.Cost(bytes, domain, site, dci);
        var flat = HierarchicalAllReduce.FlatRingSeconds(bytes, domain, site, dci);
        // the compute the DP reduction can run under: one micro-batch's, or the share the job declares
        var window = job.Overlap is { } overlap ? overlap * compute : (compute + tensorParallel) / microBatches;
        var step = job.Hierarchical
            ? StepTime.Of(pipelined, hierarchical, window / pipelined, job.SyncEverySteps)
            : StepTime.Of(pipelined, flat, window / pipelined);
        var flatStep = StepTime.Of(pipelined, flat, window / pipelined);
        return new StepEstimate(
            compute,
            hierarchical.WithinSiteSeconds,
            hierarchical.CrossSiteSeconds / job.SyncEverySteps,
            step.ExposedCommSeconds,
            flat,
            step.TotalSeconds,
            flatStep.TotalSeconds,
            job.TokensPerStep / step.TotalSeconds,
            flops / (job.Gpus * peak * step.TotalSeconds),
            bubble,
            tensorParallel,
            pipelineParallel,
            microBatches,
            window);
    }

    /// <summary>Layers and hidden size: declared, or from N ≈ 12·L·d² with d ≈ 128·L (GPT-3 175B, Llama 3 405B).</summary>
    public static (double Layers, double Hidden) Shape(TrainingJobSpec job)
    {
        var hidden = job.HiddenSize ?? (job.Layers is { } l ? Math.Sqrt(job.ModelParams / (12.0 * l)) : Math.Cbrt(job.ModelParams * 128 / 12));
        var layers = job.Layers ?? job.ModelParams / (12 * hidden * hidden);
        return (layers, hidden);
    }
}
