using Twin.Model.Workloads;

namespace Twin.Model.Tests.Workloads;

public sealed class TrainingRunTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AFailureAt45Minutes_With30MinuteCheckpoints_Loses15Minutes_AndGoodputIsUsefulOverWall()
    {
        var run = new TrainingRun(T0, TimeSpan.FromMinutes(30), stepSeconds: 6);
        var restart = TimeSpan.FromMinutes(7);      // detection 2 min + restart 5 min
        var restore = TimeSpan.FromSeconds(125);    // 1,000 GB at 8 GB/s
        run.Interrupt(T0.AddMinutes(45), "XID 79 on east/gpu/h0001-0", restart, restore);
        Assert.Equal(RunState.Recovering, run.State);
        Assert.Equal(T0.AddMinutes(45) + restart + restore, run.ResumeAt);

        run.AdvanceTo(T0.AddHours(2));
        var lost = TimeSpan.FromMinutes(15);
        var down = restart + restore;
        Assert.Equal(RunState.Running, run.State);
        Assert.Equal(lost, run.Lost);
        Assert.Equal(down, run.Down);
        Assert.Equal(TimeSpan.FromHours(2) - lost - down, run.Useful);
        Assert.Equal((TimeSpan.FromHours(2) - lost - down) / TimeSpan.FromHours(2), run.Goodput, 12);
        Assert.Equal([down], run.Recoveries);
        Assert.Equal(1, run.Interruptions);
        // steps: useful seconds / 6 s
        Assert.Equal(run.Useful.TotalSeconds / 6, run.Steps, 6);
    }

    [Fact]
    public void A_Copy_ProjectsForward_WithoutMovingTheRun()
    {
        var run = new TrainingRun(T0, TimeSpan.FromMinutes(30), stepSeconds: 6);
        run.AdvanceTo(T0.AddMinutes(20));
        var projected = run.Copy();
        projected.AdvanceTo(T0.AddMinutes(50));
        Assert.Equal((T0.AddMinutes(50), 1), (projected.Now, projected.Checkpoints));
        Assert.Equal((T0.AddMinutes(20), 0), (run.Now, run.Checkpoints));

        // a failure the run hears of afterwards, at 45 min, still lands at 45 min: 15 min lost since the 30-min checkpoint
        run.Interrupt(T0.AddMinutes(45), "late notice", TimeSpan.FromMinutes(7), TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromMinutes(15), run.Lost);
        Assert.Equal(TimeSpan.Zero, projected.Lost);
        Assert.Single(projected.Timeline);
        Assert.Equal(["started", "interrupted", "restoring"], run.Timeline.Select(e => e.Kind));
    }

    [Fact]
    public void CheckpointsCount_FromTheLastRestart()
    {
        var run = new TrainingRun(T0, TimeSpan.FromMinutes(30), 1);
        run.AdvanceTo(T0.AddMinutes(65));
        Assert.Equal(2, run.Checkpoints);
        Assert.Equal(T0.AddMinutes(60), run.LastCheckpoint);
        run.Interrupt(T0.AddMinutes(65), "x", TimeSpan.FromMinutes(5), TimeSpan.Zero);
        run.AdvanceTo(T0.AddMinutes(100)); // resumed at 70: next checkpoint at 100
        Assert.Equal(T0.AddMinutes(100), run.LastCheckpoint);
        Assert.Equal(TimeSpan.FromMinutes(5), run.Lost);
        // every checkpoint written, the resume (a restored checkpoint, nothing written) not among them
        Assert.Equal([T0.AddMinutes(30), T0.AddMinutes(60), T0.AddMinutes(100)], run.RecentCheckpoints);

        run.AdvanceTo(T0.AddDays(1)); // 44 more (every 30 min from the resume at 70), of which the last 8 are kept
        Assert.Equal(8, run.RecentCheckpoints.Count);
        Assert.Equal(T0.AddMinutes(100 + 30 * 44), run.RecentCheckpoints.Last());
    }

    [Fact]
    public void StoppedJob_WaitsWithoutUsefulWork_UntilRestarted()
    {
        var run = new TrainingRun(T0, TimeSpan.FromMinutes(10), 1);
        run.Stop(T0.AddMinutes(25), "DCI east-west cut");
        run.AdvanceTo(T0.AddMinutes(55));
        Assert.Equal(RunState.Stopped, run.State);
        Assert.Equal(TimeSpan.FromMinutes(20), run.Useful);
        run.Restart(T0.AddMinutes(55), "DCI restored", TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1));
        run.AdvanceTo(T0.AddMinutes(90));
        // useful: 20 before the cut + 29 after resuming at 61
        Assert.Equal(TimeSpan.FromMinutes(49), run.Useful);
        Assert.Equal(TimeSpan.FromMinutes(5), run.Lost);
        Assert.Equal(TimeSpan.FromMinutes(36), run.Down);
        Assert.Equal(TimeSpan.FromMinutes(36), Assert.Single(run.Recoveries));
    }
}
