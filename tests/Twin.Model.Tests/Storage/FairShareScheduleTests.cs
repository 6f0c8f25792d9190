using Twin.Model.Storage;

namespace Twin.Model.Tests.Storage;

public sealed class FairShareScheduleTests
{
    private const double GB = 1e9;
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
    private const double Uncapped = 1e15;

    [Fact]
    public void FourSimultaneousRestores_ShareTheTier_AndFinishTogether()
    {
        // the checkpoint-storm case by hand: 4 × 6,000 GB from 4 × 20 GB/s = 80 GB/s → 300 s each (75 s alone)
        var schedule = new FairShareSchedule(80 * GB);
        schedule.Add("a", T0, 6000 * GB, Uncapped);
        Assert.Equal(75, schedule.Plan()["a"].Duration.TotalSeconds, 3);
        foreach (var id in new[] { "b", "c", "d" })
        {
            schedule.Add(id, T0, 6000 * GB, Uncapped);
        }
        var plan = schedule.Plan();
        Assert.All(plan.Values, b => Assert.Equal(300, b.Duration.TotalSeconds, 3));
        Assert.All(plan.Values, b => Assert.Equal(20 * GB, b.AverageBytesPerSecond, 1e-3 * GB));
    }

    [Fact]
    public void StaggeredRestores_ShareWhileBothRun()
    {
        // a alone for 30 s moves 2,400 GB; then 40 GB/s each: a's last 3,600 GB take 90 s (ends at 120 s),
        // b has 2,400 GB left and ends 30 s later alone (150 s = 12,000 GB / 80 GB/s, the pool never idles)
        var schedule = new FairShareSchedule(80 * GB);
        schedule.Add("a", T0, 6000 * GB, Uncapped);
        schedule.Add("b", T0.AddSeconds(30), 6000 * GB, Uncapped);
        var plan = schedule.Plan();
        Assert.Equal(120, (plan["a"].End - T0).TotalSeconds, 3);
        Assert.Equal(150, (plan["b"].End - T0).TotalSeconds, 3);
        Assert.Equal(120, plan["b"].Duration.TotalSeconds, 3);
    }

    [Fact]
    public void ACappedBurst_LeavesTheRestOfItsShareToTheOthers()
    {
        // a's NICs take 20 GB/s, so b gets 60 of the 80: b ends at 100 s; a then has 4,000 GB left at its
        // cap of 20 GB/s → 200 s more, 300 s in all
        var schedule = new FairShareSchedule(80 * GB);
        schedule.Add("a", T0, 6000 * GB, 20 * GB);
        schedule.Add("b", T0, 6000 * GB, Uncapped);
        var plan = schedule.Plan();
        Assert.Equal(100, plan["b"].Duration.TotalSeconds, 3);
        Assert.Equal(300, plan["a"].Duration.TotalSeconds, 3);
    }

    [Fact]
    public void ThePlan_DoesNotDependOnTheOrderBurstsWereAdded()
    {
        var bursts = new (string Id, double StartSeconds, double GBytes, double CapGBps)[]
        {
            ("a", 0, 6000, 1e6), ("b", 10, 1000, 15), ("c", 10, 3000, 1e6), ("d", 200, 500, 5),
        };
        var forward = new FairShareSchedule(80 * GB);
        var backward = new FairShareSchedule(80 * GB);
        foreach (var b in bursts)
        {
            forward.Add(b.Id, T0.AddSeconds(b.StartSeconds), b.GBytes * GB, b.CapGBps * GB);
        }
        foreach (var b in bursts.Reverse())
        {
            backward.Add(b.Id, T0.AddSeconds(b.StartSeconds), b.GBytes * GB, b.CapGBps * GB);
        }
        Assert.Equal(forward.Plan().OrderBy(p => p.Key), backward.Plan().OrderBy(p => p.Key));
    }

    [Fact]
    public void AdvancingForgetsFinishedBursts_AndKeepsTheOthersPlans()
    {
        var schedule = new FairShareSchedule(80 * GB);
        schedule.Add("a", T0, 6000 * GB, Uncapped);
        schedule.Add("b", T0.AddSeconds(30), 6000 * GB, Uncapped);
        var before = schedule.Plan();

        schedule.AdvanceTo(T0.AddSeconds(130));
        Assert.Equal(1, schedule.Count); // a finished at 120 s
        var after = schedule.Plan();
        Assert.Equal(before["b"].End, after["b"].End, TimeSpan.FromMilliseconds(1));
        Assert.Equal(before["b"].Start, after["b"].Start); // the traffic still spans the whole burst
    }

    [Fact]
    public void StoppingABurst_GivesItsShareBack_FromThatMoment()
    {
        // both at 40 GB/s for 50 s (2,000 GB each); a stops; b's 4,000 GB left run at 80 → 50 s more: 100 s
        var schedule = new FairShareSchedule(80 * GB);
        schedule.Add("a", T0, 6000 * GB, Uncapped);
        schedule.Add("b", T0, 6000 * GB, Uncapped);
        Assert.True(schedule.Stop("a", T0.AddSeconds(50)));
        Assert.Equal(100, schedule.Plan()["b"].Duration.TotalSeconds, 3);
    }

    [Fact]
    public void ALateBurst_StartsAtThePresent()
    {
        // a (8,000 GB) has run alone for 60 s when a burst stamped at T0 arrives: it starts at 60 s, and the
        // two share: a's 3,200 GB left and late's 800 GB at 40 each → late ends at 80 s
        var schedule = new FairShareSchedule(80 * GB);
        schedule.Add("a", T0, 8000 * GB, Uncapped);
        schedule.AdvanceTo(T0.AddSeconds(60));
        schedule.Add("late", T0, 800 * GB, Uncapped);
        var plan = schedule.Plan()["late"];
        Assert.Equal(T0.AddSeconds(80), plan.End, TimeSpan.FromMilliseconds(1));

        // once nothing is in flight there is no present to be late for
        schedule.AdvanceTo(T0.AddHours(1));
        Assert.Null(schedule.Now);
        schedule.Add("earlier", T0, 800 * GB, Uncapped);
        Assert.Equal(T0.AddSeconds(10), schedule.Plan()["earlier"].End, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public void ACapacityChange_AppliesFromThePresentOn()
    {
        // 30 s at 80 GB/s (2,400 GB), then the tier halves: 3,600 GB at 40 GB/s = 90 s → ends at 120 s
        var schedule = new FairShareSchedule(80 * GB);
        schedule.Add("a", T0, 6000 * GB, Uncapped);
        schedule.AdvanceTo(T0.AddSeconds(30));
        schedule.CapacityBytesPerSecond = 40 * GB;
        Assert.Equal(T0.AddSeconds(120), schedule.Plan()["a"].End, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public void BadBandwidth_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FairShareSchedule(0));
        var schedule = new FairShareSchedule(GB);
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.Add("a", T0, GB, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.Add("a", T0, -1, GB));
    }

    [Fact]
    public void ASteadyFlow_TakesItsDemand_AndLessWhileARestoreShares()
    {
        // a data loader asks 50 GB/s of an 80 GB/s tier; a 6,000 GB restore arrives at 100 s. Equal shares
        // would be 40 each: the loader gets 40, the restore 40 → 150 s; then the loader is back at 50.
        var schedule = new FairShareSchedule(80 * GB);
        schedule.Add("loader", T0, double.PositiveInfinity, 50 * GB);
        schedule.Add("restore", T0.AddSeconds(100), 6000 * GB, Uncapped);

        var restore = schedule.Plan()["restore"];
        Assert.Equal(150, restore.Duration.TotalSeconds, 3);
        Assert.Equal(DateTimeOffset.MaxValue, schedule.Plan()["loader"].End);
        var rates = schedule.Rates("loader");
        Assert.Equal(3, rates.Count);
        Assert.Equal((T0, 50 * GB), (rates[0].From, rates[0].BytesPerSecond));
        Assert.Equal((T0.AddSeconds(100), 40 * GB), (rates[1].From, rates[1].BytesPerSecond));
        Assert.Equal(T0.AddSeconds(250), rates[2].From, TimeSpan.FromMilliseconds(1));
        Assert.Equal(50 * GB, rates[2].BytesPerSecond);

        // a loader asking little keeps all of it; the restore takes the rest (80 − 10 = 70 GB/s)
        var light = new FairShareSchedule(80 * GB);
        light.Add("loader", T0, double.PositiveInfinity, 10 * GB);
        light.Add("restore", T0, 7000 * GB, Uncapped);
        Assert.Equal(100, light.Plan()["restore"].Duration.TotalSeconds, 3);
        Assert.Equal(10 * GB, light.Rates("loader").Single().BytesPerSecond);
    }
}
