using System.Net;
using Twin.Model.Security;

namespace Twin.Model.Tests.Security;

public sealed class DpuFirewallTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    private static Flow Tcp(string src, string dst, int port, double seconds = 0, bool syn = false, double bytes = 0, string? srcTenant = null, string? dstTenant = null, int srcPort = 40000, bool leaves = false) =>
        new(FlowProtocol.Tcp, IPAddress.Parse(src), srcPort, IPAddress.Parse(dst), port, T0.AddSeconds(seconds), bytes, srcTenant, dstTenant, syn, leaves);

    [Fact]
    public void FirstMatchWins_InRuleOrder_ThenTheDefault()
    {
        var policy = new FirewallPolicy(
        [
            new(false, FlowProtocol.Tcp, Destination: IPNetwork.Parse("10.1.0.0/16"), Ports: new PortRange(22, 22), Name: "no ssh into storage"),
            new(true, FlowProtocol.Tcp, Destination: IPNetwork.Parse("10.1.0.0/16")),
            new(true, FlowProtocol.Udp, Ports: new PortRange(4791, 4791), Name: "RoCEv2"),
        ]);
        Assert.Equal((0, false), policy.Evaluate(Tcp("10.0.0.5", "10.1.2.3", 22)));
        Assert.Equal((1, true), policy.Evaluate(Tcp("10.0.0.5", "10.1.2.3", 443)));
        Assert.Equal((2, true), policy.Evaluate(new Flow(FlowProtocol.Udp, IPAddress.Parse("10.0.0.5"), 1, IPAddress.Parse("10.9.9.9"), 4791, T0)));
        Assert.Equal((null, false), policy.Evaluate(Tcp("10.0.0.5", "192.168.1.1", 443))); // zero trust default
    }

    [Theory]
    [InlineData("10.1.0.0/16", "10.1.255.254", true)]
    [InlineData("10.1.0.0/16", "10.2.0.1", false)]
    [InlineData("10.1.128.0/17", "10.1.127.255", false)]
    [InlineData("10.1.128.0/17", "10.1.128.0", true)]
    [InlineData("0.0.0.0/0", "203.0.113.9", true)]
    [InlineData("fd00:10::/32", "fd00:10:ffff::1", true)]
    [InlineData("fd00:10::/32", "fd00:11::1", false)]
    public void CidrMatching(string cidr, string address, bool inside) =>
        Assert.Equal(inside, new FirewallRule(true, Destination: IPNetwork.Parse(cidr)).Matches(Tcp("10.0.0.1", "10.0.0.1", 1) with { Destination = IPAddress.Parse(address) }));

    [Fact]
    public void ARuleCoveredByAnEarlierOne_IsReportedShadowed()
    {
        var policy = new FirewallPolicy(
        [
            new(false, FlowProtocol.Any, Destination: IPNetwork.Parse("10.1.0.0/16")),
            new(true, FlowProtocol.Tcp, Destination: IPNetwork.Parse("10.1.4.0/24"), Ports: new PortRange(443, 443)), // inside rule 0: never decides
            new(true, FlowProtocol.Tcp, Destination: IPNetwork.Parse("10.2.0.0/16")),
            new(true, FlowProtocol.Tcp, Destination: IPNetwork.Parse("10.0.0.0/8")), // wider than rule 2: not shadowed
        ]);
        Assert.Equal([(1, 0)], policy.Shadowed());
    }

    [Fact]
    public void TheTokenBucket_RefillsAtItsRate_UpToItsBurst()
    {
        // 2 tokens/s, burst 3: three at once pass, the fourth not; half a second later one more
        var bucket = new TokenBucket(2, 3);
        Assert.True(bucket.TryTake(T0));
        Assert.True(bucket.TryTake(T0));
        Assert.True(bucket.TryTake(T0));
        Assert.False(bucket.TryTake(T0));
        Assert.True(bucket.TryTake(T0.AddSeconds(0.5)));
        Assert.False(bucket.TryTake(T0.AddSeconds(0.5)));
        // an hour idle fills it to the burst, not beyond
        bucket.TryTake(T0.AddHours(1), 0);
        Assert.Equal(3, bucket.Tokens, 9);
    }

    [Fact]
    public void Conntrack_EvictsTheLongestIdle_WhenFull_AndForgetsIdleConnections()
    {
        var table = new ConnectionTracker(capacity: 2, idleTimeout: TimeSpan.FromMinutes(5));
        var a = Tcp("10.0.0.1", "10.1.0.1", 443, seconds: 0, srcPort: 1);
        var b = Tcp("10.0.0.1", "10.1.0.1", 443, seconds: 10, srcPort: 2);
        var c = Tcp("10.0.0.1", "10.1.0.1", 443, seconds: 20, srcPort: 3);
        table.Track(a);
        table.Track(b);
        Assert.True(table.Established(a with { At = T0.AddSeconds(15) })); // a is now the most recent
        table.Track(c);                                                    // full: b, idle longest, goes
        Assert.Equal(1, table.Evicted);
        Assert.False(table.Established(b with { At = T0.AddSeconds(21) }));
        Assert.True(table.Established(c with { At = T0.AddSeconds(21) }));
        // six idle minutes later a is gone (5 min timeout)
        Assert.False(table.Established(a with { At = T0.AddSeconds(15 + 360) }));
    }

    [Fact]
    public void SynFloodProtection_CapsHalfOpenConnectionsPerSource()
    {
        var dpu = new DpuFirewall(new DpuPolicy(new FirewallPolicy([new(true)]), MaxHalfOpenPerSource: 3));
        for (var port = 1; port <= 3; port++)
        {
            Assert.True(dpu.Decide(Tcp("10.0.0.9", "10.1.0.1", 80, syn: true, srcPort: port)).Allowed);
        }
        var fourth = dpu.Decide(Tcp("10.0.0.9", "10.1.0.1", 80, syn: true, srcPort: 4));
        Assert.False(fourth.Allowed);
        Assert.StartsWith("SYN-flood protection: 3 half-open", fourth.Reason);
        // one handshake completes: room for one more
        Assert.True(dpu.Decide(Tcp("10.0.0.9", "10.1.0.1", 80, seconds: 1, srcPort: 1)).Allowed);
        Assert.True(dpu.Decide(Tcp("10.0.0.9", "10.1.0.1", 80, seconds: 1, syn: true, srcPort: 5)).Allowed);
    }

    [Fact]
    public void WeightSizedEgress_IsDetectedAndBlocked_WithinItsWindow()
    {
        // threshold 100 GB in 10 min (a tenth of a 1 TB checkpoint); off-site flows of 40 GB each
        var dpu = new DpuFirewall(new DpuPolicy(new FirewallPolicy([new(true)]), ExfiltrationBytes: 100e9, ExfiltrationWindow: TimeSpan.FromMinutes(10)));
        Assert.True(dpu.Decide(Tcp("10.0.0.7", "203.0.113.5", 443, seconds: 0, bytes: 40e9, leaves: true, srcPort: 1)).Allowed);
        var second = dpu.Decide(Tcp("10.0.0.7", "203.0.113.5", 443, seconds: 60, bytes: 40e9, leaves: true, srcPort: 2));
        Assert.Equal((true, 80e9), (second.Allowed, second.EgressBytesInWindow));
        var third = dpu.Decide(Tcp("10.0.0.7", "203.0.113.5", 443, seconds: 120, bytes: 40e9, leaves: true, srcPort: 3));
        Assert.False(third.Allowed);
        Assert.True(third.ExfiltrationSuspected);
        Assert.StartsWith("exfiltration suspected: 120.0 GB", third.Reason);
        // eleven minutes after the first, it has left the window: 80 GB again
        Assert.True(dpu.Decide(Tcp("10.0.0.7", "203.0.113.5", 443, seconds: 660, bytes: 0, leaves: true, srcPort: 4)).Allowed);
        // inside the site and the tenant, nothing counts
        Assert.Equal(0, dpu.Decide(Tcp("10.0.0.7", "10.0.0.8", 443, seconds: 700, bytes: 500e9, srcPort: 5)).EgressBytesInWindow);
    }

    [Fact]
    public void ARateLimitedSource_IsRefusedBeforeTheRules()
    {
        var dpu = new DpuFirewall(new DpuPolicy(new FirewallPolicy([new(true)]), RatePerSecond: 1, Burst: 2));
        Assert.True(dpu.Decide(Tcp("10.0.0.3", "10.1.0.1", 80, srcPort: 1)).Allowed);
        Assert.True(dpu.Decide(Tcp("10.0.0.3", "10.1.0.1", 80, srcPort: 2)).Allowed);
        Assert.StartsWith("rate limit", dpu.Decide(Tcp("10.0.0.3", "10.1.0.1", 80, srcPort: 3)).Reason);
        Assert.True(dpu.Decide(Tcp("10.0.0.4", "10.1.0.1", 80, srcPort: 3)).Allowed); // per source
    }
}
