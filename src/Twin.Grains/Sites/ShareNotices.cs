namespace Twin.Grains.Sites;

/// <summary>
/// Orders a site coordinator's one-way "share changed" notices at the workload that receives them. Orleans does not
/// promise that two one-way messages arrive in the order they were sent, and a notice carries the share itself, so
/// the older of two reordered notices must not win: the later event time wins, and at equal times the higher
/// sequence (the coordinator counts its notices).
/// </summary>
public sealed class ShareNotices
{
    private readonly Dictionary<string, (DateTimeOffset At, long Sequence)> _last = new(StringComparer.Ordinal);

    /// <summary>True, and remembered, when this notice is newer than the last one taken from the site.</summary>
    public bool Take(string site, DateTimeOffset at, long sequence)
    {
        if (_last.TryGetValue(site, out var last) && (at < last.At || (at == last.At && sequence <= last.Sequence)))
        {
            return false;
        }
        _last[site] = (at, sequence);
        return true;
    }
}
