using Twin.Contracts.Events;

namespace Twin.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class EventLogTests(ClusterFixture fixture)
{
    private static TwinEvent Event(string id, string site = "east") => new()
    {
        Id = id,
        Time = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        Kind = "test",
        Site = site,
        Summary = id,
    };

    [Fact]
    public async Task Append_AssignsIncreasingSequences_AndSkipsRepeatedIds()
    {
        var log = fixture.Grains.GetGrain<IEventLogGrain>("log-test-1");
        await log.Append([Event("a"), Event("b")]);
        var last = await log.Append([Event("b"), Event("c", "west")]);
        Assert.Equal(3, last);
        var page = await log.Read(0, 100, EventFilter.All);
        Assert.Equal(["a", "b", "c"], page.Items.Select(e => e.Id));
        Assert.Equal([1L, 2, 3], page.Items.Select(e => e.Sequence));
        Assert.Equal(["c"], (await log.Read(0, 100, new EventFilter(Site: "west"))).Items.Select(e => e.Id));
        Assert.Equal(["c"], (await log.Read(2, 100, EventFilter.All)).Items.Select(e => e.Id));
    }

    [Fact]
    public async Task WaitForEvents_CompletesWhenAnEventArrives()
    {
        var log = fixture.Grains.GetGrain<IEventLogGrain>("log-test-2");
        var waiting = log.WaitForEvents(0, TimeSpan.FromSeconds(30));
        Assert.False(waiting.IsCompleted);
        await log.Append([Event("x")]);
        Assert.Equal(1, await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WaitForEvents_ReturnsTheLastSequence_OnTimeout()
    {
        var log = fixture.Grains.GetGrain<IEventLogGrain>("log-test-3");
        Assert.Equal(0, await log.WaitForEvents(0, TimeSpan.FromMilliseconds(50)));
    }
}
