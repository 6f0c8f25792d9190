using Twin.Contracts.Jobs;
using Twin.Grains.Jobs;

namespace Twin.Grains.Tests;

/// <summary>
/// The job registry's storage plan on its own: restores and data loaders sharing one site's read bandwidth by
/// max-min fairness, with the numbers worked by hand.
/// </summary>
public sealed class StorageSharesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const double GB = 1e9;
    private const double Unbounded = 1e15; // NICs far faster than the storage

    private static RestoreDemand Restore(double gigabytes, double cap = Unbounded) => new("east", gigabytes * GB, cap, "job");

    [Fact]
    public void TwoRestores_ShareTheTier_AndTheFirstHearsItsEndMoved()
    {
        var shares = new StorageShares();
        shares.Prepare("east", 80 * GB, T0);
        shares.Restore("a", [Restore(6_000)], T0, T0);
        Assert.Equal(T0.AddSeconds(75), shares.Settle("a").RestoreEnds["a"]); // alone: 6,000 GB at 80 GB/s

        shares.Prepare("east", 80 * GB, T0);
        shares.Restore("b", [Restore(6_000)], T0, T0);
        var outcome = shares.Settle("b");
        // together: 40 GB/s each, 150 s each; a is told, b hears it as its answer
        Assert.Equal(T0.AddSeconds(150), outcome.RestoreEnds["a"]);
        Assert.Equal(T0.AddSeconds(150), outcome.RestoreEnds["b"]);
        var notice = Assert.Single(outcome.Rescheduled);
        Assert.Equal(("a", T0, T0.AddSeconds(150)), (notice.Job, notice.Start, notice.End));
    }

    [Fact]
    public void A_NicCappedRestore_LeavesTheRestToTheOther()
    {
        var shares = new StorageShares();
        shares.Prepare("east", 80 * GB, T0);
        // a is capped at 20 GB/s by its NICs: b takes the other 60 while both run
        shares.Restore("a", [Restore(2_000, cap: 20 * GB)], T0, T0);
        shares.Restore("b", [Restore(3_000)], T0, T0);
        var ends = shares.Settle(null).RestoreEnds;
        Assert.Equal(T0.AddSeconds(50), ends["b"]);  // 3,000 GB at 60 GB/s
        Assert.Equal(T0.AddSeconds(100), ends["a"]); // 2,000 GB at 20 GB/s throughout
    }

    [Fact]
    public void A_LoaderSharesWithARestore_ThenGetsAllItAsks()
    {
        var shares = new StorageShares();
        shares.Prepare("east", 80 * GB, T0);
        shares.SetIngest("loader", [new IngestDemand("east", 60 * GB)], T0);
        Assert.Equal([new IngestSupply(T0, 1)], Assert.Single(shares.Settle(null).Supply).Supply);

        // a 6,000 GB restore from 10 s: max-min gives each 40 GB/s, so the restore takes 150 s and the loader is
        // served 40 of the 60 it asks (2/3) until then
        var start = T0.AddSeconds(10);
        shares.Prepare("east", 80 * GB, start);
        shares.Restore("r", [Restore(6_000)], start, start);
        var outcome = shares.Settle("r");
        Assert.Equal(start.AddSeconds(150), outcome.RestoreEnds["r"]);
        var supply = Assert.Single(outcome.Supply).Supply;
        Assert.Equal(start, supply[0].From);
        Assert.Equal(2.0 / 3, supply[0].Share, 9);
        Assert.Equal((start.AddSeconds(150), 1.0), (supply[^1].From, supply[^1].Share));
    }

    [Fact]
    public void A_StoppedRestore_GivesItsShareBack()
    {
        var shares = new StorageShares();
        shares.Prepare("east", 80 * GB, T0);
        shares.Restore("a", [Restore(6_000)], T0, T0);
        shares.Restore("b", [Restore(6_000)], T0, T0);
        shares.Settle(null);

        // b stops after 50 s (its job failed again): a moved 2,000 GB by then and reads the other 4,000 alone
        var at = T0.AddSeconds(50);
        shares.Prepare("east", 80 * GB, at);
        shares.Stop("b", at, forget: true);
        var outcome = shares.Settle("b");
        Assert.Equal(at.AddSeconds(50), outcome.RestoreEnds["a"]);
        Assert.False(outcome.RestoreEnds.ContainsKey("b"));
        Assert.Equal("a", Assert.Single(outcome.Rescheduled).Job);
    }
}
