using System.Buffers;

namespace Twin.Telemetry.Prometheus;

/// <summary>
/// Reads Prometheus text exposition (0.0.4) and OpenMetrics text from UTF-8 spans: <c># HELP</c> and comments are
/// skipped, <c># TYPE</c> is remembered for the family that follows (so histogram buckets, summary quantiles,
/// <c>_sum</c>/<c>_count</c>/<c>_created</c> are reported as such), labels are located but left escaped,
/// values include NaN/±Inf, timestamps are optional, exemplars after <c>#</c> are ignored, LF or CRLF, <c># EOF</c>
/// ends the body. A malformed line is reported with its number and parsing goes on. Nothing is allocated:
/// samples are spans over the body handed to a struct visitor.
/// </summary>
public static class PrometheusTextParser
{
    /// <summary>Labels per sample the parser locates (dcgm-exporter sends about ten, Kubernetes adds a few).</summary>
    public const int MaxLabels = 64;

    private static readonly SearchValues<byte> NameChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:"u8);

    private static readonly SearchValues<byte> QuoteOrBackslash = SearchValues.Create("\"\\"u8);

    private static readonly SearchValues<byte> Blank = SearchValues.Create(" \t"u8);

    /// <summary>Parses <paramref name="utf8"/>, calling <paramref name="visitor"/> once per sample or malformed line.</summary>
    public static void Parse<TVisitor>(ReadOnlySpan<byte> utf8, ref TVisitor visitor)
        where TVisitor : struct, IPrometheusSampleVisitor
    {
        Span<LabelRange> ranges = stackalloc LabelRange[MaxLabels];
        if (utf8.StartsWith("\xEF\xBB\xBF"u8))
        {
            utf8 = utf8[3..];
        }
        ReadOnlySpan<byte> family = default;
        var type = PrometheusMetricType.Untyped;
        var lineNumber = 0;
        while (!utf8.IsEmpty)
        {
            lineNumber++;
            ReadOnlySpan<byte> line;
            var newline = utf8.IndexOf((byte)'\n');
            if (newline < 0)
            {
                line = utf8;
                utf8 = default;
            }
            else
            {
                line = utf8[..newline];
                utf8 = utf8[(newline + 1)..];
            }
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }
            line = line.TrimStart(" \t"u8);
            if (line.IsEmpty)
            {
                continue;
            }
            if (line[0] == (byte)'#')
            {
                if (Comment(line, ref family, ref type))
                {
                    return; // # EOF
                }
                continue;
            }
            Sample(line, lineNumber, family, type, ranges, ref visitor);
        }
    }

    // returns true at "# EOF"
    private static bool Comment(ReadOnlySpan<byte> line, ref ReadOnlySpan<byte> family, ref PrometheusMetricType type)
    {
        var rest = line[1..].TrimStart(" \t"u8);
        if (rest.SequenceEqual("EOF"u8))
        {
            return true;
        }
        if (!rest.StartsWith("TYPE"u8) || rest.Length < 5 || !Blank.Contains(rest[4]))
        {
            return false;
        }
        rest = rest[5..].TrimStart(" \t"u8);
        var end = rest.IndexOfAnyExcept(NameChars);
        if (end < 0)
        {
            end = rest.Length;
        }
        family = rest[..end];
        type = rest[end..].Trim(" \t"u8) switch
        {
            var t when t.SequenceEqual("counter"u8) => PrometheusMetricType.Counter,
            var t when t.SequenceEqual("gauge"u8) => PrometheusMetricType.Gauge,
            var t when t.SequenceEqual("histogram"u8) => PrometheusMetricType.Histogram,
            var t when t.SequenceEqual("gaugehistogram"u8) => PrometheusMetricType.GaugeHistogram,
            var t when t.SequenceEqual("summary"u8) => PrometheusMetricType.Summary,
            var t when t.SequenceEqual("info"u8) => PrometheusMetricType.Info,
            var t when t.SequenceEqual("stateset"u8) => PrometheusMetricType.StateSet,
            _ => PrometheusMetricType.Untyped,
        };
        return false;
    }

    private static void Sample<TVisitor>(ReadOnlySpan<byte> line, int lineNumber, ReadOnlySpan<byte> family, PrometheusMetricType type,
        scoped Span<LabelRange> ranges, ref TVisitor visitor)
        where TVisitor : struct, IPrometheusSampleVisitor
    {
        var nameEnd = line.IndexOfAnyExcept(NameChars);
        if (nameEnd < 0)
        {
            nameEnd = line.Length;
        }
        if (nameEnd == 0 || char.IsAsciiDigit((char)line[0]))
        {
            visitor.OnError(lineNumber, default, "expected a metric name at the start of the line");
            return;
        }
        var name = line[..nameEnd];
        var i = nameEnd;
        var count = 0;
        if (i < line.Length && line[i] == (byte)'{')
        {
            i++;
            while (true)
            {
                i = SkipBlank(line, i);
                if (i >= line.Length)
                {
                    visitor.OnError(lineNumber, name, "label set is not closed with '}'");
                    return;
                }
                if (line[i] == (byte)'}')
                {
                    i++;
                    break;
                }
                var nameStart = i;
                var nameLength = line[i..].IndexOfAnyExcept(NameChars);
                if (nameLength < 0)
                {
                    nameLength = line.Length - i;
                }
                if (nameLength == 0)
                {
                    visitor.OnError(lineNumber, name, "expected a label name");
                    return;
                }
                i = SkipBlank(line, i + nameLength);
                if (i >= line.Length || line[i] != (byte)'=')
                {
                    visitor.OnError(lineNumber, name, "expected '=' after a label name");
                    return;
                }
                i = SkipBlank(line, i + 1);
                if (i >= line.Length || line[i] != (byte)'"')
                {
                    visitor.OnError(lineNumber, name, "expected '\"' to open a label value");
                    return;
                }
                var valueStart = ++i;
                var escaped = false;
                while (true)
                {
                    var k = i < line.Length ? line[i..].IndexOfAny(QuoteOrBackslash) : -1;
                    if (k < 0)
                    {
                        visitor.OnError(lineNumber, name, "label value is not closed with '\"'");
                        return;
                    }
                    i += k;
                    if (line[i] == (byte)'"')
                    {
                        break;
                    }
                    escaped = true;
                    i += 2;
                }
                if (count == ranges.Length)
                {
                    visitor.OnError(lineNumber, name, "more than 64 labels");
                    return;
                }
                ranges[count++] = new LabelRange(nameStart, nameLength, valueStart, i - valueStart, escaped);
                i = SkipBlank(line, i + 1);
                if (i < line.Length && line[i] == (byte)',')
                {
                    i++;
                    continue;
                }
                if (i < line.Length && line[i] == (byte)'}')
                {
                    i++;
                    break;
                }
                visitor.OnError(lineNumber, name, "expected ',' or '}' after a label value");
                return;
            }
        }
        else if (i < line.Length && !Blank.Contains(line[i]))
        {
            visitor.OnError(lineNumber, name, "unexpected character in the metric name");
            return;
        }

        i = SkipBlank(line, i);
        if (i >= line.Length)
        {
            visitor.OnError(lineNumber, name, "missing value");
            return;
        }
        var valueEnd = NextBlank(line, i);
        if (!PrometheusNumber.TryParseValue(line[i..valueEnd], out var value))
        {
            visitor.OnError(lineNumber, name, "value is not a number");
            return;
        }
        i = SkipBlank(line, valueEnd);
        long? timestamp = null;
        if (i < line.Length && line[i] != (byte)'#')
        {
            var tsEnd = NextBlank(line, i);
            if (!PrometheusNumber.TryParseTimestampMs(line[i..tsEnd], out var ms))
            {
                visitor.OnError(lineNumber, name, "timestamp is not a number");
                return;
            }
            timestamp = ms;
            i = SkipBlank(line, tsEnd);
        }
        // anything from '#' on is an OpenMetrics exemplar, which the twin does not use
        if (i < line.Length && line[i] != (byte)'#')
        {
            visitor.OnError(lineNumber, name, "unexpected text after the value and timestamp");
            return;
        }

        var labels = new PrometheusLabels(line, ranges[..count]);
        var series = Classify(name, ref family, ref type, labels);
        visitor.OnSample(new PrometheusSample(name, family, type, series, labels, value, timestamp, lineNumber));
    }

    // Which part of its family a series is; a name outside the declared family is an untyped series of its own.
    private static PrometheusSeriesKind Classify(ReadOnlySpan<byte> name, ref ReadOnlySpan<byte> family, ref PrometheusMetricType type,
        scoped PrometheusLabels labels)
    {
        if (!family.IsEmpty && name.StartsWith(family))
        {
            var suffix = name[family.Length..];
            switch (type)
            {
                case PrometheusMetricType.Histogram or PrometheusMetricType.GaugeHistogram:
                    if (suffix.SequenceEqual("_bucket"u8))
                    {
                        return PrometheusSeriesKind.Bucket;
                    }
                    if (suffix.SequenceEqual("_sum"u8) || suffix.SequenceEqual("_gsum"u8))
                    {
                        return PrometheusSeriesKind.Sum;
                    }
                    if (suffix.SequenceEqual("_count"u8) || suffix.SequenceEqual("_gcount"u8))
                    {
                        return PrometheusSeriesKind.Count;
                    }
                    break;
                case PrometheusMetricType.Summary:
                    if (suffix.IsEmpty)
                    {
                        return PrometheusSeriesKind.Quantile;
                    }
                    if (suffix.SequenceEqual("_sum"u8))
                    {
                        return PrometheusSeriesKind.Sum;
                    }
                    if (suffix.SequenceEqual("_count"u8))
                    {
                        return PrometheusSeriesKind.Count;
                    }
                    break;
                case PrometheusMetricType.Counter:
                    if (suffix.IsEmpty || suffix.SequenceEqual("_total"u8))
                    {
                        return PrometheusSeriesKind.Value;
                    }
                    break;
                default:
                    if (suffix.IsEmpty)
                    {
                        return PrometheusSeriesKind.Value;
                    }
                    break;
            }
            if (suffix.SequenceEqual("_created"u8))
            {
                return PrometheusSeriesKind.Created;
            }
        }
        family = name;
        type = PrometheusMetricType.Untyped;
        if (labels.Contains("quantile"u8))
        {
            return PrometheusSeriesKind.Quantile;
        }
        return name.EndsWith("_bucket"u8) && labels.Contains("le"u8) ? PrometheusSeriesKind.Bucket : PrometheusSeriesKind.Value;
    }

    private static int SkipBlank(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && (line[i] == (byte)' ' || line[i] == (byte)'\t'))
        {
            i++;
        }
        return i;
    }

    private static int NextBlank(ReadOnlySpan<byte> line, int i)
    {
        var k = line[i..].IndexOfAny(Blank);
        return k < 0 ? line.Length : i + k;
    }
}
