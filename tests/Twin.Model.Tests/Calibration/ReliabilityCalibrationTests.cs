using Twin.Model.Reliability;
using Twin.Model.Storage;

namespace Twin.Model.Tests.Calibration;

/// <summary>
/// Reliability rows of docs/calibration.md: Llama 3 405B's 54 days on 16,384 H100s ("The Llama 3 Herd of Models", 2024,
/// §3.3.4 and table 5; storage §3.3.1), from the failure-profile, restart, checkpoint and storage functions. The
/// scenario run of the same 54 days is wired by the scenario engine.
/// </summary>
public sealed class ReliabilityCalibrationTests
{
    private static readonly FailureProfile Llama = FailureProfile.Llama3_405B;
    private static readonly TimeSpan FiftyFourDays = TimeSpan.FromDays(54);
    private const double CheckpointBytes = 5.7e12;   // bf16 weights + fp32 master weights and Adam moments ≈ 14 B × 405e9

    [Fact]
    public void Llama3_54Days_16384Gpus_Interruptions()
    {
        Published.Within(Llama.ExpectedUnexpected(16_384, FiftyFourDays), 419, 0.10, "unexpected interruptions");
        Published.Within(Llama.ExpectedPlanned(FiftyFourDays), 47, 0.10, "planned interruptions");
        Published.Within(Llama.ExpectedUnexpected(16_384, FiftyFourDays) + Llama.ExpectedPlanned(FiftyFourDays), 466, 0.10, "all interruptions");
    }

    [Fact]
    public void Llama3_EffectiveTrainingTime_AboveNinetyPercent()
    {
        // every interruption (466 in 54 days) stops the job; restart grows with its 16,384 ranks; the checkpoint is
        // written synchronously at Tectonic's sustained 2 TB/s (δ = 2.85 s) and read back at the same rate
        var mtbf = FiftyFourDays / (Llama.ExpectedUnexpected(16_384, FiftyFourDays) + Llama.ExpectedPlanned(FiftyFourDays));
        var delta = CheckpointCost.BlockingSeconds(CheckpointBytes, 16_384, StorageThroughput.Tectonic.SustainedBytesPerSecond, 16_384 * 50e9, asynchronous: false);
        var restore = TimeSpan.FromSeconds(StorageThroughput.Tectonic.Seconds(CheckpointBytes));
        var recovery = RestartTime.For(16_384) + restore;
        var goodput = GoodputCalculator.Expected(CheckpointCost.OptimalInterval(delta, mtbf), mtbf, TimeSpan.FromSeconds(delta), recovery);
        Assert.True(goodput > 0.90, $"effective training time {goodput:P1}");
        Assert.InRange(goodput, 0.90, 0.97);
    }

    [Fact]
    public void Llama3_CheckpointRestore_ReadsAtTectonicsSustainedRate()
    {
        Published.Within(StorageThroughput.Tectonic.AverageBytesPerSecond(CheckpointBytes), 2e12, 0.10, "restore read rate");
        Assert.Equal(2.85, StorageThroughput.Tectonic.Seconds(CheckpointBytes), 9);
    }
}
