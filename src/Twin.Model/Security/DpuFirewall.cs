using System.Globalization;
using System.Net;

namespace Twin.Model.Security;

/// <summary>
/// A DPU's data-path decisions for the flows of its host, in the order hardware applies them: per-source rate limit,
/// SYN-flood protection, established connections, the ordered rules, then exfiltration detection on what passed.
/// </summary>
public sealed class DpuFirewall(DpuPolicy policy)
{
    private readonly ConnectionTracker _conntrack = new(policy.ConntrackCapacity, policy.Idle);
    private readonly Dictionary<IPAddress, TokenBucket> _buckets = [];
    private readonly Dictionary<IPAddress, HashSet<(FlowProtocol, IPAddress, int, IPAddress, int)>> _halfOpen = [];
    private readonly ExfiltrationDetector? _exfiltration = policy.ExfiltrationBytes is { } bytes ? new ExfiltrationDetector(bytes, policy.Window) : null;

    public DpuPolicy Policy { get; } = policy;

    public ConnectionTracker Connections => _conntrack;

    public FlowVerdict Decide(Flow flow)
    {
        if (Policy.RatePerSecond is { } rate)
        {
            if (!_buckets.TryGetValue(flow.Source, out var bucket))
            {
                _buckets[flow.Source] = bucket = new TokenBucket(rate, Policy.Burst);
            }
            if (!bucket.TryTake(flow.At))
            {
                return new FlowVerdict(false, string.Create(CultureInfo.InvariantCulture, $"rate limit: {flow.Source} over {rate:0.##} flows/s (burst {Policy.Burst:0})"));
            }
        }
        if (!_halfOpen.TryGetValue(flow.Source, out var pending))
        {
            _halfOpen[flow.Source] = pending = [];
        }
        if (flow.Syn && !pending.Contains(flow.Key) && pending.Count >= Policy.MaxHalfOpenPerSource)
        {
            return new FlowVerdict(false, $"SYN-flood protection: {pending.Count} half-open connections from {flow.Source}");
        }
        FlowVerdict verdict;
        if (!flow.Syn && _conntrack.Established(flow))
        {
            pending.Remove(flow.Key); // the handshake completed
            verdict = new FlowVerdict(true, "established connection");
        }
        else
        {
            var (rule, allow) = Policy.Firewall.Evaluate(flow);
            var name = rule is { } i ? $"rule {i}{(Policy.Firewall.Rules[i].Name is { } n ? $" ({n})" : "")}" : "default";
            if (!allow)
            {
                return new FlowVerdict(false, $"denied by {name}", rule);
            }
            _conntrack.Track(flow);
            if (flow.Syn)
            {
                pending.Add(flow.Key);
            }
            verdict = new FlowVerdict(true, $"allowed by {name}", rule);
        }
        if (_exfiltration?.Observe(flow) is { } egress && egress.Bytes > 0)
        {
            verdict = verdict with { EgressBytesInWindow = egress.Bytes };
            if (egress.Suspect)
            {
                var why = string.Create(CultureInfo.InvariantCulture,
                    $"exfiltration suspected: {egress.Bytes / 1e9:N1} GB sent off-site or to another tenant within {Policy.Window.TotalMinutes:0} min (threshold {Policy.ExfiltrationBytes / 1e9:N1} GB)");
                verdict = Policy.BlockExfiltration
                    ? verdict with { Allowed = false, Reason = why, ExfiltrationSuspected = true }
                    : verdict with { Reason = verdict.Reason + "; " + why, ExfiltrationSuspected = true };
            }
        }
        return verdict;
    }
}
