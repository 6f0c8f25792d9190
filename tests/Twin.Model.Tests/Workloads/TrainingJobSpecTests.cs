using Twin.Model.Workloads;

namespace Twin.Model.Tests.Workloads;

public sealed class TrainingJobSpecTests
{
    private static readonly string[] Sites = ["east", "west"];

    private static TrainingJobSpec Job(int gpus = 64, int tp = 8, int pp = 1, int dp = 8) =>
        new() { Name = "j", Gpus = gpus, Tp = tp, Pp = pp, Dp = dp };

    [Fact]
    public void Defaults_AreTp8_Pp1_AndDpFromTheRest()
    {
        var spec = new TrainingJobSpec { Name = "j", Gpus = 64 };
        Assert.Equal((8, 1), (spec.Tp, spec.Pp));
        Assert.Equal(8, TrainingJobSpec.DefaultDp(64, 8, 1));
        Assert.Equal(4, TrainingJobSpec.DefaultDp(64, 8, 2));
        Assert.Equal(1, TrainingJobSpec.DefaultDp(4, 8, 1)); // never zero: the product check then names the mismatch
        Assert.Equal((FailurePolicy.Spares, DciCutPolicy.Stop), (spec.OnFailure, spec.OnDciCut));
    }

    [Fact]
    public void AValidJob_HasNoErrors() => Assert.Empty((Job() with { Sites = ["east", "west"] }).Validate(Sites));

    [Theory]
    [InlineData(64, 8, 1, 4, "parallelism")]
    [InlineData(0, 8, 1, 0, "gpus")]
    [InlineData(64, 0, 1, 8, "parallelism")]
    public void BadParallelism_NamesTheField(int gpus, int tp, int pp, int dp, string field) =>
        Assert.Contains(Job(gpus, tp, pp, dp).Validate(Sites), e => e.Field == field);

    [Fact]
    public void EveryRule_NamesItsField()
    {
        Assert.Contains((Job() with { Name = " " }).Validate(Sites), e => e.Field == "name");
        Assert.Contains((Job() with { Sites = ["mars"] }).Validate(Sites), e => e.Field == "sites" && e.Message.Contains("mars"));
        Assert.Contains((Job(24, 8, 1, 3) with { Sites = ["east", "west"] }).Validate(Sites), e => e.Field == "parallelism.dp");
        Assert.Contains((Job() with { CheckpointInterval = TimeSpan.Zero }).Validate(Sites), e => e.Field == "checkpoint.intervalMinutes");
        Assert.Contains((Job() with { CheckpointSizeGB = -1 }).Validate(Sites), e => e.Field == "checkpoint.sizeGB");
        Assert.Contains((Job() with { Overlap = 1.5 }).Validate(Sites), e => e.Field == "overlap");
        Assert.Contains((Job() with { SyncEverySteps = 0 }).Validate(Sites), e => e.Field == "syncEverySteps");
        Assert.Contains((Job() with { DatasetBytesPerToken = double.NaN }).Validate(Sites), e => e.Field == "dataset.bytesPerToken");
        Assert.Contains((Job() with { ModelParams = 0 }).Validate(Sites), e => e.Field == "modelParams");
    }

    [Fact]
    public void Policies_ReadTheirRestSpelling_Only()
    {
        Assert.True(JobPolicies.TryParse("shrink", out FailurePolicy shrink));
        Assert.Equal(FailurePolicy.Shrink, shrink);
        Assert.True(JobPolicies.TryParse("split", out DciCutPolicy split));
        Assert.Equal(DciCutPolicy.Split, split);
        Assert.False(JobPolicies.TryParse("1", out FailurePolicy _));
        Assert.False(JobPolicies.TryParse("Spares", out FailurePolicy _));
    }
}
