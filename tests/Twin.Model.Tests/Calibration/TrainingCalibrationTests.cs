using Twin.Model.Collectives;
using Twin.Model.Fabric;
using Twin.Model.Workloads;

namespace Twin.Model.Tests.Calibration;

/// <summary>
/// Training rows of docs/calibration.md: Llama 3 405B pre-training throughput as Meta reports it ("The Llama 3 Herd of
/// Models", 2024, table 4 and §3.3), computed by the step-time model the job grains use.
/// </summary>
public sealed class TrainingCalibrationTests
{
    // 126 layers, hidden 16,384 (table 3); sequences of 8,192 tokens, 16 per DP group at 16K GPUs, 32 at 8K (table 4);
    // gradients reduce-scattered in FP32 (§3.3.2); Meta's interleaved schedule's chunk count is not published: 4 taken.
    private static TrainingJobSpec Llama405B(int gpus, int dp, int sequencesPerDp) => new()
    {
        Name = "llama3-405b", Gpus = gpus, Tp = 8, Pp = 16, Dp = dp, ModelParams = 405e9, Layers = 126, HiddenSize = 16384,
        SequenceLength = 8192, TokensPerStep = 8192.0 * sequencesPerDp * dp, GradientBytesPerParam = 4, PipelineInterleave = 4,
    };

    // 400G RoCE NIC per GPU, one site. Above its 3,072-GPU pods Meta's fabric is 1:7 oversubscribed; a DP ring crosses
    // a pod boundary only where it leaves one pod for the next, so the offered load at the cut is far below it.
    private static JobEnvironment Meta(int gpus)
    {
        var pods = gpus / 3072.0;
        var rings = 8 * 16;                                              // one DP ring per (tp, pp) rank
        var offered = FabricCongestion.RingOffered(rings, (int)Math.Ceiling(pods), 50e9);
        var bisection = gpus * 50e9 / 7 / 2;
        return new() { GpuModel = "H100-SXM5-80GB", NicGbps = 400, FabricOversubscription = FabricCongestion.AtCut(offered, bisection) };
    }

    private static double TflopsPerGpu(TrainingJobSpec job, StepEstimate e) => 6 * job.ModelParams * job.TokensPerStep / (job.Gpus * e.StepSeconds) / 1e12;

    [Theory]
    [InlineData(16_384, 128, 16, 400.0)]
    [InlineData(8_192, 64, 32, 430.0)]
    public void Llama3_405B_TflopsPerGpu(int gpus, int dp, int sequencesPerDp, double published)
    {
        var job = Llama405B(gpus, dp, sequencesPerDp);
        var env = Meta(gpus);
        Assert.Equal(1.0, env.FabricOversubscription);
        var e = StepTimeEstimator.Estimate(job, env);
        Assert.Equal(sequencesPerDp, e.MicroBatches);
        Published.Within(TflopsPerGpu(job, e), published, 0.10, $"Llama 3 405B on {gpus} GPUs, TFLOPs/GPU");
    }

    [Fact]
    public void ReadmeJob_HierarchicalBeatsTheFlatRing()
    {
        // README's two-site job on demo.yaml: 512 GPUs, TP8 PP4 DP16, 70B, 4M tokens per step, east (H100, 400G NICs)
        // and west 600 km apart over 1.6 Tb/s of DCI. The flat ring runs all 16 DP ranks in one ring, through the DCI
        // twice, its bandwidth bounded by NCCL's window over the 6 ms round trip; the hierarchical one reduces in each
        // site over the NICs first and sends one shard per site across.
        var job = new TrainingJobSpec { Name = "llm-2site", Gpus = 512, Sites = ["east", "west"], Tp = 8, Pp = 4, Dp = 16, ModelParams = 70e9 };
        var env = new JobEnvironment { GpuModel = "H100-SXM5-80GB", NicGbps = 400, Sites = 2, DciDistanceKm = 600, DciAvailableGbps = 1600 };
        var e = StepTimeEstimator.Estimate(job, env);
        Assert.True(e.StepSeconds < e.FlatRingStepSeconds && Environment.GetEnvironmentVariable("CALIBRATION_SHOW") is null,
            $"README job: hierarchical {e.StepSeconds * 1000:N1} ms vs flat {e.FlatRingStepSeconds * 1000:N1} ms (MFU {e.Mfu:P1}, comm {e.WithinSiteCommSeconds * 1000:N0} + {e.CrossSiteCommSeconds * 1000:N0} ms, flat {e.FlatRingCommSeconds * 1000:N0} ms)");
    }
}
