using System.Text;
using Twin.Telemetry.Prometheus;

namespace Twin.Telemetry.Tests;

public sealed class PrometheusTextParserTests
{
    private sealed record Seen(int Line, string Name, string Family, PrometheusSeriesKind Series, PrometheusMetricType Type,
        Dictionary<string, string> Labels, double Value, long? TimestampMs);

    private struct Recorder() : IPrometheusSampleVisitor
    {
        public List<Seen> Samples { get; } = [];

        public List<(int Line, string Reason)> Errors { get; } = [];

        public void OnSample(in PrometheusSample sample)
        {
            var labels = new Dictionary<string, string>();
            foreach (var label in sample.Labels)
            {
                labels[Encoding.UTF8.GetString(label.Name)] = label.GetValueString();
            }
            Samples.Add(new Seen(sample.Line, Encoding.UTF8.GetString(sample.Name), Encoding.UTF8.GetString(sample.Family),
                sample.Series, sample.Type, labels, sample.Value, sample.TimestampMs));
        }

        public void OnError(int line, ReadOnlySpan<byte> name, string reason) => Errors.Add((line, reason));
    }

    private static Recorder Parse(string text)
    {
        var recorder = new Recorder();
        PrometheusTextParser.Parse(Encoding.UTF8.GetBytes(text), ref recorder);
        return recorder;
    }

    [Fact]
    public void DcgmExporterText_YieldsEverySampleWithItsLabels()
    {
        var r = Parse(DcgmSample.Text(hosts: 2, gpus: 2));

        Assert.Empty(r.Errors);
        // 2 hosts × 2 GPUs × 7 families
        Assert.Equal(2 * 2 * DcgmSample.Families, r.Samples.Count);
        var temp = r.Samples.Single(s => s.Name == "DCGM_FI_DEV_GPU_TEMP" && s.Labels["Hostname"] == "east-h0001" && s.Labels["gpu"] == "1");
        Assert.Equal(PrometheusMetricType.Gauge, temp.Type);
        Assert.Equal(PrometheusSeriesKind.Value, temp.Series);
        Assert.Equal("NVIDIA H100 80GB HBM3", temp.Labels["modelName"]);
        Assert.Equal("nvidia1", temp.Labels["device"]);
        Assert.Equal("00000000:19:00.0", temp.Labels["pci_bus_id"]);
        Assert.StartsWith("GPU-", temp.Labels["UUID"]);
        Assert.Equal(62, temp.Value);
        Assert.Null(temp.TimestampMs);
    }

    [Fact]
    public void LabelEscapes_AreUndoneOnlyWhenAsked()
    {
        var r = Parse("x{path=\"C:\\\\dcgm\",msg=\"say \\\"hi\\\"\\nbye\",plain=\"a,b}\"} 1\n");

        var s = Assert.Single(r.Samples);
        Assert.Equal("C:\\dcgm", s.Labels["path"]);
        Assert.Equal("say \"hi\"\nbye", s.Labels["msg"]);
        Assert.Equal("a,b}", s.Labels["plain"]);
    }

    [Fact]
    public void HistogramsAndSummaries_AreReportedAsSuchWithoutErrors()
    {
        var r = Parse("""
            # HELP rpc_seconds RPC latency.
            # TYPE rpc_seconds histogram
            rpc_seconds_bucket{le="0.1"} 3
            rpc_seconds_bucket{le="+Inf"} 5
            rpc_seconds_sum 0.7
            rpc_seconds_count 5
            # TYPE gc_seconds summary
            gc_seconds{quantile="0.5"} 0.01
            gc_seconds{quantile="0.99"} NaN
            gc_seconds_sum 1.5
            gc_seconds_count 100
            untyped_seconds_bucket{le="1"} 2
            """);

        Assert.Empty(r.Errors);
        Assert.Equal(
            [PrometheusSeriesKind.Bucket, PrometheusSeriesKind.Bucket, PrometheusSeriesKind.Sum, PrometheusSeriesKind.Count,
             PrometheusSeriesKind.Quantile, PrometheusSeriesKind.Quantile, PrometheusSeriesKind.Sum, PrometheusSeriesKind.Count,
             PrometheusSeriesKind.Bucket],
            r.Samples.Select(s => s.Series));
        Assert.Equal("rpc_seconds", r.Samples[0].Family);
        Assert.Equal(double.PositiveInfinity, double.Parse(r.Samples[1].Labels["le"] == "+Inf" ? "Infinity" : "0", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void OpenMetrics_CountersExemplarsTimestampsAndEof()
    {
        var r = Parse("""
            # TYPE ib_bytes counter
            # UNIT ib_bytes bytes
            ib_bytes_total{port="1"} 1.5e3 # {trace_id="abc"} 1 1700000000.5
            ib_bytes_created{port="1"} 1700000000
            temp 61 1700000000123
            temp_s 62 1700000000.250
            # EOF
            after_eof 1
            """);

        Assert.Empty(r.Errors);
        Assert.Equal(["ib_bytes_total", "ib_bytes_created", "temp", "temp_s"], r.Samples.Select(s => s.Name));
        Assert.Equal(PrometheusSeriesKind.Value, r.Samples[0].Series);
        Assert.Equal(PrometheusMetricType.Counter, r.Samples[0].Type);
        Assert.Equal(1500, r.Samples[0].Value);
        Assert.Null(r.Samples[0].TimestampMs);
        Assert.Equal(PrometheusSeriesKind.Created, r.Samples[1].Series);
        Assert.Equal(1700000000123, r.Samples[2].TimestampMs); // 0.0.4: integer milliseconds
        Assert.Equal(1700000000250, r.Samples[3].TimestampMs); // OpenMetrics: float seconds
    }

    [Fact]
    public void CrLfCommentsBlankLinesAndSpecialValues_AreHandled()
    {
        var r = Parse("# a comment\r\n\r\n  a 1\r\nb{x=\"1\",} -Inf\r\nc NaN\r\nd +Inf\r\ne -0.25\r\nf 1e-3");

        Assert.Empty(r.Errors);
        Assert.Equal([3, 4, 5, 6, 7, 8], r.Samples.Select(s => s.Line));
        Assert.Equal(double.NegativeInfinity, r.Samples[1].Value);
        Assert.True(double.IsNaN(r.Samples[2].Value));
        Assert.Equal(double.PositiveInfinity, r.Samples[3].Value);
        Assert.Equal(-0.25, r.Samples[4].Value);
        Assert.Equal(0.001, r.Samples[5].Value);
    }

    [Fact]
    public void MalformedLines_AreReportedWithTheirNumber_AndParsingGoesOn()
    {
        var r = Parse("""
            ok_one 1
            broken{gpu="0" 1
            no_value
            bad_value abc
            bad{x=1} 2
            ok_two 2
            trailing 1 2 3
            """);

        Assert.Equal(["ok_one", "ok_two"], r.Samples.Select(s => s.Name));
        Assert.Equal([2, 3, 4, 5, 7], r.Errors.Select(e => e.Line));
        Assert.Contains("value is not a number", r.Errors.Single(e => e.Line == 4).Reason);
    }

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("350.123", 350.123)]
    [InlineData("0.1", 0.1)]
    [InlineData("123456789012345", 123456789012345.0)]
    [InlineData("1234567890123456789", 1234567890123456789.0)]
    [InlineData("-7.5e2", -750.0)]
    [InlineData("2.2250738585072014E-308", 2.2250738585072014E-308)]
    public void Values_ParseExactlyLikeTheBcl(string text, double expected)
    {
        var r = Parse($"m {text}\n");
        Assert.Equal(expected, Assert.Single(r.Samples).Value);
    }
}
