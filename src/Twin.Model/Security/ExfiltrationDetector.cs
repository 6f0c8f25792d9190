namespace Twin.Model.Security;

/// <summary>
/// Weight-sized egress: bytes a source sends out of its site or to another tenant, summed over a sliding window of
/// event time; past the threshold (e.g. a tenth of a hosted model's checkpoint) the flow is suspect.
/// </summary>
public sealed class ExfiltrationDetector(double thresholdBytes, TimeSpan window)
{
    private readonly Dictionary<System.Net.IPAddress, Queue<(DateTimeOffset At, double Bytes)>> _egress = [];

    public double ThresholdBytes { get; } = thresholdBytes > 0 ? thresholdBytes : throw new ArgumentOutOfRangeException(nameof(thresholdBytes));

    public TimeSpan Window { get; } = window > TimeSpan.Zero ? window : throw new ArgumentOutOfRangeException(nameof(window));

    /// <summary>Counts the flow if it leaves its site or tenant; returns the bytes the source sent so in the window, and whether that is too much.</summary>
    public (double Bytes, bool Suspect) Observe(Flow flow)
    {
        var crossesTenant = flow.SourceTenant is not null && flow.SourceTenant != flow.DestinationTenant;
        if (!flow.LeavesSite && !crossesTenant)
        {
            return (0, false);
        }
        if (!_egress.TryGetValue(flow.Source, out var sent))
        {
            _egress[flow.Source] = sent = new Queue<(DateTimeOffset, double)>();
        }
        sent.Enqueue((flow.At, flow.Bytes));
        while (sent.Count > 0 && flow.At - sent.Peek().At > Window)
        {
            sent.Dequeue();
        }
        var total = sent.Sum(s => s.Bytes);
        return (total, total > ThresholdBytes);
    }
}
