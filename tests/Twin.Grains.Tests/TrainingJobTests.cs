using Twin.Model.Outcomes;
using Twin.Contracts.Events;
using Twin.Contracts.Faults;
using Twin.Contracts.Jobs;
using Twin.Contracts.Sites;
using Twin.Contracts.Streams;
using Twin.Model.Workloads;

namespace Twin.Grains.Tests;

[Collection(JobCollection.Name)]
public sealed class TrainingJobTests(JobClusterFixture fixture)
{
    private IJobRegistryGrain Registry => fixture.Grains.GetGrain<IJobRegistryGrain>(TwinStreams.FactoryKey);

    private IFaultRegistryGrain Faults => fixture.Grains.GetGrain<IFaultRegistryGrain>(TwinStreams.FactoryKey);

    private static TrainingJobDefinition Job(string name, int gpus, string[] sites, int dp, double overlap = 0, bool hierarchical = true) =>
        TrainingJobDefinition.From(new TrainingJobSpec
        {
            Name = name, Gpus = gpus, Sites = sites, Tp = 8, Pp = 1, Dp = dp, ModelParams = 70e9, TokensPerStep = 4e6,
            CheckpointInterval = TimeSpan.FromMinutes(30), CheckpointSizeGB = 1000, Overlap = overlap, Hierarchical = hierarchical,
        });

    private async Task<JobView> Submit(TrainingJobDefinition job, DateTimeOffset at)
    {
        var outcome = await Registry.Submit(job, at);
        Assert.True(outcome.Succeeded, $"{outcome.Refused} {outcome.Field}: {outcome.Error}");
        return outcome.Job!;
    }

    [Fact]
    public async Task GpuFault_RollsBackToTheCheckpoint_RestoresWithAVisibleBurst_AndResumes_GoodputByHand()
    {
        var t0 = fixture.NextEpoch();
        var job = await Submit(Job("one-site", 16, ["east"], dp: 2), t0);
        Assert.Equal(16, job.Placement.Count);
        Assert.Equal(2, job.Placement.Select(g => g[..^2]).Distinct().Count()); // two whole hosts
        var victim = job.Placement[5];

        var fault = await Faults.Inject(new InjectFault("gpu-xid", victim, new Dictionary<string, string> { ["xid"] = "79" }, At: t0.AddMinutes(45)));
        Assert.True(fault.Succeeded);
        var jobGrain = fixture.Grains.GetGrain<ITrainingJobGrain>(job.Id);
        var hit = await Eventually.Until(() => jobGrain.GetView(t0.AddMinutes(45)), v => v.Interruptions == 1);
        Assert.Equal("recovering", hit.State);
        Assert.DoesNotContain(victim, hit.Placement); // rescheduled onto a spare host's GPU
        Assert.Equal(16, hit.Placement.Count);

        // restore: 1,000 GB at min(storage 80 GB/s, 16 GPUs × 50 GB/s) = 12.5 s; down = 2 min detection + 5 min restart + 12.5 s
        var restore = TimeSpan.FromSeconds(1000 / 80.0);
        Assert.Equal(restore.TotalSeconds, hit.RestoreSeconds, 6);
        Assert.Equal(t0.AddMinutes(45 + 7) + restore, hit.ResumeAt);

        var east = fixture.Grains.GetGrain<ISiteCoordinatorGrain>("east");
        var during = await Eventually.Until(() => east.GetSummary().AsTask(), s => s.Traffic.ActiveFlows == 1);
        Assert.Equal(80, during.Traffic.StorageReadGBps, 6);
        Assert.Equal(1.0, during.Traffic.StorageReadUtilization, 6);
        Assert.True(during.Traffic.FabricUtilization > 0);
        var log = fixture.Grains.GetGrain<IEventLogGrain>(TwinStreams.FactoryKey);
        var traffic = await log.Read(0, 1000, new EventFilter(Kind: "traffic"));
        Assert.Contains(traffic.Items, e => e.Summary.Contains("checkpoint restore of 1,000 GB"));
        // the checkpoint at 30 min was written before the failure: 1,000 GB at east's 2 × 20 GB/s of writes = 25 s
        var writes = await Eventually.Until(() => log.Read(0, 1000, new EventFilter(Kind: "traffic")).AsTask(),
            p => p.Items.Any(e => e.Summary.StartsWith("one-site: checkpoint write", StringComparison.Ordinal)));
        Assert.Contains(writes.Items, e => e.Summary == "one-site: checkpoint write of 1,000 GB at 40.0 GB/s for 25 s (storage-bound)" && e.Time == t0.AddMinutes(30));

        var later = await jobGrain.GetView(t0.AddHours(2));
        Assert.Equal("running", later.State);
        var lost = TimeSpan.FromMinutes(15);
        var down = TimeSpan.FromMinutes(7) + restore;
        var useful = TimeSpan.FromHours(2) - lost - down;
        Assert.Equal(lost.TotalSeconds, later.LostSeconds, 6);
        Assert.Equal(down.TotalSeconds, later.DownSeconds, 6);
        Assert.Equal(useful / TimeSpan.FromHours(2), later.Goodput, 9);

        await Faults.Repair(fault.Fault!.Id, t0.AddHours(3));
        await jobGrain.Cancel(t0.AddHours(3));
    }

    [Fact]
    public async Task ALateFailureNotice_ForAGpuAlreadyReportedRestored_IsIgnored()
    {
        // one-way notices can arrive out of order: the repair at 20:00 lands before the failure at 10:00
        var t0 = fixture.NextEpoch();
        var job = await Submit(Job("late-notice", 16, ["east"], dp: 2), t0);
        var grain = fixture.Grains.GetGrain<ITrainingJobGrain>(job.Id);
        var gpu = job.Placement[2];
        await grain.DevicesRestored([gpu], t0.AddMinutes(20));
        await grain.DevicesLost([gpu], "late notice", t0.AddMinutes(10));
        // and a real failure after the restore (the notices are one-way: wait for it to count)
        await grain.DevicesLost([gpu], "fails again", t0.AddMinutes(40));

        var hit = await Eventually.Until(() => grain.GetView(t0.AddMinutes(40)), v => v.Interruptions >= 1);
        var view = await grain.GetView(t0.AddMinutes(50));
        Assert.Equal(1, view.Interruptions);
        var interrupted = Assert.Single(view.Timeline, e => e.Kind == "interrupted");
        Assert.Equal(t0.AddMinutes(40), interrupted.Time); // not 10:00: the late notice changed nothing
        Assert.Contains("fails again", interrupted.Detail);
        Assert.DoesNotContain(gpu, hit.Placement);
        await grain.Cancel(t0.AddHours(1));
    }

    [Fact]
    public async Task ConcurrentRestores_ShareTheSitesStorage_AndTheFirstJobIsToldItsRestoreNowEndsLater()
    {
        var t0 = fixture.NextEpoch();
        var a = await Submit(Job("share-a", 16, ["west"], dp: 2), t0);
        var b = await Submit(Job("share-b", 16, ["west"], dp: 2), t0);
        var (gA, gB) = (fixture.Grains.GetGrain<ITrainingJobGrain>(a.Id), fixture.Grains.GetGrain<ITrainingJobGrain>(b.Id));

        // a fails at 45:00, b 5 s later; restores start 7 min after each (detection + restart).
        // By hand (west reads 80 GB/s; each job's NICs could take 16 × 50 GB/s): a reads 1,000 GB alone for
        // 5 s (400 GB), then both at 40 GB/s: a's last 600 GB take 15 s (a ends at 52:20, 20 s of restore
        // instead of 12.5); b reads 600 GB meanwhile and its last 400 GB alone at 80 GB/s in 5 s (ends 52:25)
        var fa = await Faults.Inject(new InjectFault("gpu-xid", a.Placement[3], new Dictionary<string, string> { ["xid"] = "79" }, At: t0.AddMinutes(45)));
        await Eventually.Until(() => gA.GetView(t0.AddMinutes(45)), v => v.Interruptions == 1);
        var fb = await Faults.Inject(new InjectFault("gpu-xid", b.Placement[3], new Dictionary<string, string> { ["xid"] = "79" }, At: t0.AddMinutes(45).AddSeconds(5)));
        var hitB = await Eventually.Until(() => gB.GetView(t0.AddMinutes(45).AddSeconds(5)), v => v.Interruptions == 1);
        Assert.Equal(t0.AddMinutes(52).AddSeconds(25), hitB.ResumeAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(20, hitB.RestoreSeconds, 3);

        var hitA = await Eventually.Until(() => gA.GetView(t0.AddMinutes(46)), v => v.RestoreSeconds > 12.5 + 1e-6);
        Assert.Equal(t0.AddMinutes(52).AddSeconds(20), hitA.ResumeAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(20, hitA.RestoreSeconds, 3);
        Assert.Contains(hitA.Timeline, e => e.Kind == "restore-rescheduled");

        // the coordinator shows both bursts, 2,000 GB over 25 s of storage that never idles
        var west = fixture.Grains.GetGrain<ISiteCoordinatorGrain>("west");
        var log = fixture.Grains.GetGrain<IEventLogGrain>(TwinStreams.FactoryKey);
        // both bursts are published together, a's first: wait for b's as well
        await Eventually.Until(() => log.Read(0, 1000, new EventFilter(Site: "west", Kind: "traffic")).AsTask(),
            p => p.Items.Any(e => e.Summary.Contains("share-a") && e.Summary.Contains("for 20 s"))
                && p.Items.Any(e => e.Summary.Contains("share-b") && e.Summary.Contains("sharing west's storage with 1 other reader(s)")));
        var summary = await west.GetSummary();
        Assert.True(summary.Traffic.StorageReadUtilization <= 1.0 + 1e-9);

        var later = await gA.GetView(t0.AddHours(1));
        Assert.Equal("running", later.State);
        Assert.Equal((TimeSpan.FromMinutes(7) + TimeSpan.FromSeconds(20)).TotalSeconds, later.DownSeconds, 3);

        await Faults.Repair(fa.Fault!.Id, t0.AddHours(2));
        await Faults.Repair(fb.Fault!.Id, t0.AddHours(2));
        await gA.Cancel(t0.AddHours(2));
        await gB.Cancel(t0.AddHours(2));
    }

    [Fact]
    public async Task DatasetReads_ShareStorageWithARestore_TheReaderSlowsWhileItRuns_AndTheRestoreTakesLonger()
    {
        var t0 = fixture.NextEpoch();
        var probe = await Submit(Job("probe", 16, ["east"], dp: 2), t0);
        var step = probe.StepTimeMs / 1000;
        await fixture.Grains.GetGrain<ITrainingJobGrain>(probe.Id).Cancel(t0);

        // a loader asking 60 GB/s of east's 80: bytes per token = 60 GB/s × step / 4e6 tokens per step
        var readerJob = Job("reader", 16, ["east"], dp: 2) with { DatasetBytesPerToken = 60e9 * step / 4e6 };
        var reader = await Submit(readerJob, t0);
        var restorer = await Submit(Job("restorer", 16, ["east"], dp: 2), t0);
        var gReader = fixture.Grains.GetGrain<ITrainingJobGrain>(reader.Id);
        Assert.Equal(60, reader.DatasetReadGBps, 6);
        var fed = await Eventually.Until(() => gReader.GetView(t0.AddMinutes(1)), v => v.Timeline.Count > 0);
        Assert.Equal(1, fed.DatasetSupply);
        Assert.Equal(step * 1000, fed.StepTimeMs, 6);

        // the restorer fails at 45:00 and reads 1,000 GB from 52:00. Max-min fair: the loader (capped at 60) and
        // the restore get 40 GB/s each, so the restore takes 25 s instead of 12.5 and the reader is fed 2/3 of
        // what it asks: its steps take 1.5× as long from 52:00 to 52:25
        var fault = await Faults.Inject(new InjectFault("gpu-xid", restorer.Placement[0], new Dictionary<string, string> { ["xid"] = "79" }, At: t0.AddMinutes(45)));
        var gRestorer = fixture.Grains.GetGrain<ITrainingJobGrain>(restorer.Id);
        var hit = await Eventually.Until(() => gRestorer.GetView(t0.AddMinutes(45)), v => v.Interruptions == 1);
        Assert.Equal(25, hit.RestoreSeconds, 3);

        var starved = await Eventually.Until(() => gReader.GetView(t0.AddMinutes(52).AddSeconds(10)), v => v.DatasetSupply < 1);
        Assert.Equal(2.0 / 3, starved.DatasetSupply, 6);
        Assert.Equal(1.5 * step * 1000, starved.StepTimeMs, 3);

        var after = await gReader.GetView(t0.AddHours(1));
        Assert.Equal(1, after.DatasetSupply);
        Assert.Equal(step * 1000, after.StepTimeMs, 6);
        // an hour of steps, less the third of a step's pace lost for 25 s
        Assert.Equal((3600 - 25 + 25 / 1.5) / step, after.Steps, 3);
        Assert.Contains(after.Timeline, e => e.Kind == "step-time" && e.Detail.Contains("storage serves 67 %"));

        var east = fixture.Grains.GetGrain<ISiteCoordinatorGrain>("east");
        var log = fixture.Grains.GetGrain<IEventLogGrain>(TwinStreams.FactoryKey);
        await Eventually.Until(() => log.Read(0, 1000, new EventFilter(Site: "east", Kind: "traffic")).AsTask(),
            p => p.Items.Any(e => e.Summary.Contains(reader.Id) && e.Summary.Contains("data loaders read the dataset at up to 60.00 GB/s")));

        await Faults.Repair(fault.Fault!.Id, t0.AddHours(2));
        await gReader.Cancel(t0.AddHours(2));
        await gRestorer.Cancel(t0.AddHours(2));
    }

    [Fact]
    public async Task TwoSiteJob_IsFasterWithTopologyAwareAggregation_AndSlowerWhenDciLatencyGrows()
    {
        var t0 = fixture.NextEpoch();
        var job = await Submit(Job("two-site", 32, ["east", "west"], dp: 4), t0);
        Assert.Equal(16, job.Placement.Count(g => g.StartsWith("east/", StringComparison.Ordinal)));
        Assert.True(job.StepTimeMs < job.FlatRingStepTimeMs, $"{job.StepTimeMs} vs flat {job.FlatRingStepTimeMs}");
        Assert.True(job.CrossSiteCommMs > 0);

        // dci-degrade halves each link's bandwidth and here adds 20 ms one way. Cross-site ring of p = 2 sites:
        // 2(p−1)/p·(p·α + n/B) with n = 2·70e9/8 bytes per group and B the smaller of the DCI's share per group
        // (DCI / 8 groups) and what NCCL's 16 × 4 MiB in flight carry per round trip (2α): window-limited both times.
        var degrade = await Faults.Inject(new InjectFault("dci-degrade", "dci/east-west",
            new Dictionary<string, string> { ["lossPct"] = "0", ["extraLatencyMs"] = "20" }, At: t0.AddMinutes(10)));
        var jobGrain = fixture.Grains.GetGrain<ITrainingJobGrain>(job.Id);
        var slower = await Eventually.Until(() => jobGrain.GetView(t0.AddMinutes(10)), v => v.StepTimeMs > job.StepTimeMs);
        const double n = 2 * 70e9 / 8;
        static double Window(double alpha) => 16 * 4 * 1024 * 1024 / (2 * alpha);
        var a0 = 600 * 5e-6 + 10e-6;
        var a1 = a0 + 0.020;
        var before = 2 * a0 + n / Math.Min(1.6e12 / 8 / 8, Window(a0));
        var after = 2 * a1 + n / Math.Min(0.8e12 / 8 / 8, Window(a1));
        Assert.Equal((after - before) * 1000, slower.CrossSiteCommMs - job.CrossSiteCommMs, 6);
        Assert.Equal((after - before) * 1000, slower.StepTimeMs - job.StepTimeMs, 6); // nothing overlaps it (overlap 0)

        await Faults.Repair(degrade.Fault!.Id, t0.AddMinutes(20));
        await jobGrain.Cancel(t0.AddMinutes(30));
    }

    [Fact]
    public async Task DciCut_StopsAScaleAcrossJob_AndItRestartsWhenTheLinkReturns()
    {
        var t0 = fixture.NextEpoch();
        var job = await Submit(Job("cut", 16, ["east", "west"], dp: 2), t0);
        var jobGrain = fixture.Grains.GetGrain<ITrainingJobGrain>(job.Id);
        var cut = await Faults.Inject(new InjectFault("dci-cut", "dci/east-west", At: t0.AddMinutes(40)));
        var stopped = await Eventually.Until(() => jobGrain.GetView(t0.AddMinutes(40)), v => v.State == "stopped");
        Assert.Equal(TimeSpan.FromMinutes(10).TotalSeconds, stopped.LostSeconds, 6);

        await Faults.Repair(cut.Fault!.Id, t0.AddMinutes(70));
        var back = await Eventually.Until(() => jobGrain.GetView(t0.AddMinutes(70)), v => v.State == "recovering");
        Assert.NotNull(back.ResumeAt);
        var running = await jobGrain.GetView(back.ResumeAt!.Value.AddMinutes(1));
        Assert.Equal("running", running.State);
        await jobGrain.Cancel(t0.AddHours(3));
    }

    [Fact]
    public async Task NotEnoughCapacity_Is409_NamingGpus()
    {
        var outcome = await Registry.Submit(Job("too-big", 256, ["east"], dp: 32), null);
        Assert.Equal(((Refusal?)Refusal.NoCapacity, "gpus"), (outcome.Refused, outcome.Field));
        Assert.Contains("east", outcome.Error);
    }
}
