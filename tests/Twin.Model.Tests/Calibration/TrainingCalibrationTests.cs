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
}
