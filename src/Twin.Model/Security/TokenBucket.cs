namespace Twin.Model.Security;

/// <summary>
/// A token bucket in event time: <see cref="RatePerSecond"/> tokens a second up to <see cref="Burst"/>; a flow takes
/// one token, and passes only if one is there.
/// </summary>
public sealed class TokenBucket(double ratePerSecond, double burst)
{
    private double _tokens = burst;
    private DateTimeOffset? _last;

    public double RatePerSecond { get; } = ratePerSecond > 0 ? ratePerSecond : throw new ArgumentOutOfRangeException(nameof(ratePerSecond));

    public double Burst { get; } = burst >= 1 ? burst : throw new ArgumentOutOfRangeException(nameof(burst), "a burst below one token lets nothing through");

    public double Tokens => _tokens;

    public bool TryTake(DateTimeOffset at, double tokens = 1)
    {
        if (_last is { } last && at > last)
        {
            _tokens = Math.Min(Burst, _tokens + (at - last).TotalSeconds * RatePerSecond);
        }
        if (_last is null || at > _last)
        {
            _last = at;
        }
        if (_tokens < tokens)
        {
            return false;
        }
        _tokens -= tokens;
        return true;
    }
}
