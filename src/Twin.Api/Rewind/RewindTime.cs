using System.Globalization;
using System.Text.RegularExpressions;

namespace Twin.Api.Rewind;

/// <summary>
/// The <c>at</c> of a rewind query: an ISO-8601 time (<c>2026-11-24T03:12:00Z</c>) or a span back from now
/// (<c>-15m</c>, <c>-2h</c>, <c>-1d</c>, <c>-90s</c>). A time ahead of the server's clock is refused: a rewind
/// looks back; <c>POST /api/v1/forecasts</c> looks ahead.
/// </summary>
public static partial class RewindTime
{
    // a notice stamped a moment ahead (clock skew between a client and the silo) is still "now"
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(5);

    public static (DateTimeOffset? At, string? Error) Parse(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "at is empty; give an ISO-8601 time such as 2026-11-24T03:12:00Z or a span back such as -15m");
        }
        DateTimeOffset at;
        if (Relative().Match(text.Trim()) is { Success: true } m)
        {
            var n = double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            var back = m.Groups["u"].Value switch
            {
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                _ => TimeSpan.FromDays(n),
            };
            at = now - back;
        }
        else if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at))
        {
            return (null, $"'{text}' is neither an ISO-8601 time (2026-11-24T03:12:00Z) nor a span back from now (-15m, -2h, -1d)");
        }
        return at > now + Skew
            ? (null, $"{at:O} is ahead of the twin's clock ({now:O}); a rewind looks back (use POST /api/v1/forecasts to look ahead)")
            : (at, null);
    }

    [GeneratedRegex(@"^-(?<n>\d+(\.\d+)?)(?<u>[smhd])$")]
    private static partial Regex Relative();
}
