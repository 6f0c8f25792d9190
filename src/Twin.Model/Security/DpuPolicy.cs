namespace Twin.Model.Security;

/// <summary>
/// What a DPU enforces for its host: the firewall; connection tracking (table size, idle timeout); a token-bucket
/// rate limit per source (new flows a second, burst); SYN-flood protection (half-open connections per source); and
/// weight-exfiltration detection (egress bytes off-site or to another tenant within a window), optionally blocking.
/// </summary>
public sealed record DpuPolicy(
    FirewallPolicy Firewall,
    int ConntrackCapacity = 65_536,
    TimeSpan? ConntrackIdle = null,
    double? RatePerSecond = null,
    double Burst = 100,
    int MaxHalfOpenPerSource = 256,
    double? ExfiltrationBytes = null,
    TimeSpan? ExfiltrationWindow = null,
    bool BlockExfiltration = true)
{
    public static readonly DpuPolicy ZeroTrust = new(FirewallPolicy.DenyAll);

    public TimeSpan Idle => ConntrackIdle ?? TimeSpan.FromMinutes(5);

    public TimeSpan Window => ExfiltrationWindow ?? TimeSpan.FromMinutes(10);
}
