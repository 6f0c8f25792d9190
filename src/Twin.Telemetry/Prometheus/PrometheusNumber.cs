using System.Text;
using System.Globalization;

namespace Twin.Telemetry.Prometheus;

/// <summary>
/// Number parsing for the text formats. Exporters mostly write short decimals (<c>61</c>, <c>350.123</c>), which
/// the fast path turns into a double exactly as a full parser would: up to 15 digits fit a double's 53-bit mantissa
/// and a power of ten up to 10^15 is exact, so one correctly rounded division gives the correctly rounded result.
/// Everything else (exponents, long mantissas) goes to the BCL parser.
/// </summary>
internal static class PrometheusNumber
{
    private static readonly double[] Pow10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    private const long MaxUnixMs = 253402300799999; // 9999-12-31T23:59:59.999Z
    private const long MaxUnixSecondsGuess = 100_000_000_000; // below this an integer stamp is seconds (OpenMetrics), not ms

    public static bool TryParseValue(ReadOnlySpan<byte> s, out double value)
    {
        if (TryParseDecimal(s, out value))
        {
            return true;
        }
        if (TryParseSpecial(s, out value))
        {
            return true;
        }
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// Timestamps: Prometheus 0.0.4 writes integer milliseconds, OpenMetrics (float) seconds. A fractional or
    /// exponent form is seconds; an integer is ms unless it is too small to be a ms stamp after 1973.
    /// </summary>
    public static bool TryParseTimestampMs(ReadOnlySpan<byte> s, out long ms)
    {
        ms = 0;
        if (s.IsEmpty)
        {
            return false;
        }
        var neg = s[0] == (byte)'-';
        var digits = neg ? s[1..] : s;
        if (digits.Length is > 0 and <= 18 && digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0)
        {
            long v = 0;
            foreach (var b in digits)
            {
                v = v * 10 + (b - '0');
            }
            v = neg ? -v : v;
            ms = Math.Abs(v) < MaxUnixSecondsGuess ? v * 1000 : v;
            return true;
        }
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !double.IsFinite(seconds))
        {
            return false;
        }
        ms = (long)Math.Clamp(Math.Round(seconds * 1000), -MaxUnixMs, MaxUnixMs);
        return true;
    }

    private static bool TryParseDecimal(ReadOnlySpan<byte> s, out double value)
    {
        value = 0;
        var i = 0;
        var neg = false;
        if (s.Length > 0 && (s[0] == (byte)'-' || s[0] == (byte)'+'))
        {
            neg = s[0] == (byte)'-';
            i = 1;
        }
        long mantissa = 0;
        var digits = 0;
        var fraction = -1;
        for (; i < s.Length; i++)
        {
            var d = (uint)(s[i] - '0');
            if (d <= 9)
            {
                mantissa = mantissa * 10 + d;
                digits++;
                if (fraction >= 0)
                {
                    fraction++;
                }
            }
            else if (s[i] == (byte)'.' && fraction < 0)
            {
                fraction = 0;
            }
            else
            {
                return false;
            }
        }
        if (digits is 0 or > 15)
        {
            return false;
        }
        value = fraction > 0 ? mantissa / Pow10[fraction] : mantissa;
        if (neg)
        {
            value = -value;
        }
        return true;
    }

    private static bool TryParseSpecial(ReadOnlySpan<byte> s, out double value)
    {
        value = 0;
        var sign = 1.0;
        if (s.Length > 0 && (s[0] == (byte)'+' || s[0] == (byte)'-'))
        {
            sign = s[0] == (byte)'-' ? -1 : 1;
            s = s[1..];
        }
        if (Ascii.EqualsIgnoreCase(s, "inf"u8) || Ascii.EqualsIgnoreCase(s, "infinity"u8))
        {
            value = sign * double.PositiveInfinity;
            return true;
        }
        if (Ascii.EqualsIgnoreCase(s, "nan"u8))
        {
            value = double.NaN;
            return true;
        }
        return false;
    }
}
