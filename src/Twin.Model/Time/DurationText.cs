using System.Globalization;

namespace Twin.Model.Time;

/// <summary>
/// Parses durations as operators write them: <c>90s</c>, <c>15m</c>, <c>6h</c>, <c>54d</c>, <c>250ms</c>,
/// or a .NET time span (<c>00:15:00</c>, <c>1.06:00:00</c>).
/// </summary>
public static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var s = text.Trim();
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400), ("w", 604800)];
        foreach (var (suffix, seconds) in units)
        {
            if (s.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) &&
                double.TryParse(s.AsSpan(0, s.Length - suffix.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) &&
                double.IsFinite(n) && n * seconds < TimeSpan.MaxValue.TotalSeconds)
            {
                value = TimeSpan.FromSeconds(n * seconds);
                return true;
            }
        }
        return TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out value);
    }

    public static string Format(TimeSpan t) =>
        t.TotalDays >= 1 && t.TotalDays == Math.Floor(t.TotalDays) ? $"{t.TotalDays:0}d"
        : t.TotalHours >= 1 && t.TotalHours == Math.Floor(t.TotalHours) ? $"{t.TotalHours:0}h"
        : t.TotalMinutes >= 1 && t.TotalMinutes == Math.Floor(t.TotalMinutes) ? $"{t.TotalMinutes:0}m"
        : t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
