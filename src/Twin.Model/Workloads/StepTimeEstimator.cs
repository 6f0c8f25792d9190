using Twin.Model.Collectives;

namespace Twin.Model.Workloads;

/// <summary>
/// Step time of a synchronous data-parallel job: compute = 6·N·T / (G·F·e) (forward + backward FLOPs of a
/// dense transformer), plus the DP gradient all-reduce that is not hidden behind compute. Each DP group
/// reduces a 2·N/(tp·pp)-byte bf16 gradient shard: inside each site over the GPUs' NICs, then across sites
/// over DCI, whose bandwidth all tp·pp groups share. The flat-ring alternative runs one ring over every
/// DP rank, bounded by the slowest link and the longest latency.
/// </summary>
public static class StepTimeEstimator
{
    public static StepEstimate Estimate(TrainingJobSpec job, JobEnvironment env)
    {
        var gpu = GpuSpecs.For(env.GpuModel);
        var flops = 6 * job.ModelParams * job.TokensPerStep;
        var compute = flops / (job.Gpus * gpu.PeakTflops * 1e12 * env.ComputeEfficiency);

        var shards = Math.Max(1, job.Tp * job.Pp);
        var bytes = 2 * job.ModelParams / shards;
        var sites = Math.Max(1, env.Sites);
        var dpPerSite = Math.Max(1, job.Dp / sites);
        // one NVLink rank: TP already lives in the domain, the DP group starts at the NIC
        var domain = new CollectiveLevel(1, gpu.NvlinkGBps * 1e9, 1e-6);
        var nicBytes = env.NicGbps / 8 * 1e9 * Math.Max(1e-3, env.FabricShare);
        var site = new CollectiveLevel(dpPerSite, nicBytes, env.FabricAlphaSeconds);
        var dciPerGroup = sites > 1 ? Math.Max(1e-3, env.DciAvailableGbps) / 8 * 1e9 / shards : nicBytes;
        var dci = sites > 1
            ? CollectiveLevel.Dci(sites, env.DciDistanceKm, dciPerGroup, Math.Min(0.99, env.DciLossRate))
            : new CollectiveLevel(1, nicBytes, 0);

        var hierarchical = HierarchicalAllReduce.Cost(bytes, domain, site, dci);
        var flat = HierarchicalAllReduce.FlatRingSeconds(bytes, domain, site, dci);
        var step = job.Hierarchical
            ? StepTime.Of(compute, hierarchical, job.Overlap, job.SyncEverySteps)
            : StepTime.Of(compute, flat, job.Overlap);
        var flatStep = StepTime.Of(compute, flat, job.Overlap);
        return new StepEstimate(
            compute,
            hierarchical.WithinSiteSeconds,
            hierarchical.CrossSiteSeconds / job.SyncEverySteps,
            step.ExposedCommSeconds,
            flat,
            step.TotalSeconds,
            flatStep.TotalSeconds,
            job.TokensPerStep / step.TotalSeconds,
            env.ComputeEfficiency * compute / step.TotalSeconds);
    }
}
