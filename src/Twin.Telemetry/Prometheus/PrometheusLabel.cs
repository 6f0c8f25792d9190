using System.Text;

namespace Twin.Telemetry.Prometheus;

/// <summary>One label of a sample: name and value as UTF-8 spans over the body. The value is unescaped only on request.</summary>
public readonly ref struct PrometheusLabel
{
    internal PrometheusLabel(ReadOnlySpan<byte> name, ReadOnlySpan<byte> rawValue, bool escaped)
    {
        Name = name;
        RawValue = rawValue;
        IsEscaped = escaped;
    }

    public ReadOnlySpan<byte> Name { get; }

    /// <summary>The value as written between the quotes, escapes included.</summary>
    public ReadOnlySpan<byte> RawValue { get; }

    /// <summary>True when <see cref="RawValue"/> holds <c>\\</c>, <c>\"</c> or <c>\n</c> escapes.</summary>
    public bool IsEscaped { get; }

    /// <summary>Writes the unescaped UTF-8 value; returns its length, or -1 when <paramref name="destination"/> is too small.</summary>
    public int GetValue(Span<byte> destination)
    {
        if (!IsEscaped)
        {
            return RawValue.TryCopyTo(destination) ? RawValue.Length : -1;
        }
        return Unescape(RawValue, destination);
    }

    /// <summary>Writes the unescaped value as UTF-16; returns its length, or -1 when it does not fit.</summary>
    public int GetValueChars(Span<char> destination, Span<byte> scratch)
    {
        var raw = RawValue;
        if (IsEscaped)
        {
            var n = Unescape(raw, scratch);
            if (n < 0)
            {
                return -1;
            }
            raw = scratch[..n];
        }
        return Encoding.UTF8.TryGetChars(raw, destination, out var written) ? written : -1;
    }

    /// <summary>The value unescaped, as a string (allocates: for tests and error messages).</summary>
    public string GetValueString()
    {
        var buffer = new byte[RawValue.Length];
        return Encoding.UTF8.GetString(buffer, 0, GetValue(buffer));
    }

    /// <summary>Undoes the text format's escapes (<c>\\</c>, <c>\"</c>, <c>\n</c>; any other escaped byte stands for itself).</summary>
    public static int Unescape(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        var n = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (n == destination.Length)
            {
                return -1;
            }
            var b = raw[i];
            if (b == (byte)'\\' && i + 1 < raw.Length)
            {
                b = raw[++i] == (byte)'n' ? (byte)'\n' : raw[i];
            }
            destination[n++] = b;
        }
        return n;
    }
}
