using System.Globalization;
using System.Net;
using System.Text;
using Twin.Model.Time;

namespace Twin.Model.Scenarios;

/// <summary>
/// Renders a <see cref="ScenarioReport"/> as one self-contained HTML page: inline CSS and hand-drawn inline SVG
/// (no script, no external resource), so it opens from disk, mails as one file and prints. Charts: usable GPUs
/// per site, goodput per job, the faults timeline, a histogram of recovery durations; then the expectations.
/// </summary>
public static class ScenarioHtmlReport
{
    private static readonly string[] Palette = ["#2563eb", "#16a34a", "#ea580c", "#9333ea", "#0891b2", "#db2777", "#65a30d", "#ca8a04"];

    private const int Width = 960;
    private const int Height = 260;
    private const int Left = 64;
    private const int Right = 20;
    private const int Top = 16;
    private const int Bottom = 36;

    public static string Render(ScenarioReport report)
    {
        var html = new StringBuilder(64 * 1024);
        var verdict = report.Passed ? "passed" : "failed";
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(report.Scenario)).Append(" — scenario ").Append(verdict).Append("</title>")
            .Append("<style>").Append(Css).Append("</style></head><body><main>");

        html.Append("<header><div><h1>").Append(E(report.Scenario)).Append("</h1>");
        if (report.Description is { } d)
        {
            html.Append("<p class=\"desc\">").Append(E(d)).Append("</p>");
        }
        html.Append("<p class=\"meta\">topology <b>").Append(E(report.Topology)).Append("</b> · seed <b>").Append(report.Seed)
            .Append("</b> · ").Append(E(report.Start.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))).Append(" → ")
            .Append(E(report.End.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)))
            .Append(" · ").Append(E(DurationText.Format(TimeSpan.FromSeconds(report.VirtualSeconds)))).Append(" virtual in ")
            .Append(N(report.WallSeconds, "0.00")).Append(" s wall")
            .Append(report.Speed is { } paced ? $" (paced ×{N(paced, "0.##")})" : $" (×{N(report.SpeedAchieved, "#,0")})")
            .Append("</p></div><div class=\"verdict ").Append(verdict).Append("\">").Append(report.Passed ? "PASS" : "FAIL").Append("</div></header>");

        var passedCount = report.Expectations.Count(x => x.Passed);
        html.Append("<section class=\"cards\">");
        Card(html, "Goodput", N(report.Goodput * 100, "0.0") + "%", "useful ÷ wall, GPU-weighted");
        Card(html, "Interruptions", N(report.Interruptions, "#,0"), "job stops, all causes");
        Card(html, "Recovery p95", Dur(report.Recovery.P95Seconds), $"{report.Recovery.Count} recoveries · max {Dur(report.Recovery.MaxSeconds)}");
        Card(html, "Faults", N(report.Faults.Count(f => f.Error is null), "#,0"), $"{report.Faults.Count(f => f.Error is not null)} rejected");
        Card(html, "Events", N(report.EventsRecorded, "#,0"), $"{N(report.EventsLost, "#,0")} lost · {N(report.EventsPerSecond, "#,0")}/s");
        Card(html, "Expectations", $"{passedCount}/{report.Expectations.Count}", report.Passed ? "all held" : "see below");
        html.Append("</section>");

        html.Append("<section><h2>Expectations</h2><table class=\"exp\"><thead><tr><th>expectation</th><th>expected</th><th>actual</th><th></th></tr></thead><tbody>");
        foreach (var x in report.Expectations)
        {
            html.Append("<tr><td><code>").Append(E(x.Name)).Append("</code></td><td>").Append(E(x.Expected)).Append("</td><td class=\"num\">")
                .Append(E(x.ActualText)).Append("</td><td><span class=\"pill ").Append(x.Passed ? "ok" : "bad").Append("\">")
                .Append(x.Passed ? "pass" : "fail").Append("</span></td></tr>");
        }
        if (report.Expectations.Count == 0)
        {
            html.Append("<tr><td colspan=\"4\" class=\"muted\">no expectations</td></tr>");
        }
        html.Append("</tbody></table></section>");

        if (report.Errors.Count > 0)
        {
            html.Append("<section class=\"errors\"><h2>Problems</h2><ul>");
            foreach (var e in report.Errors.Take(50))
            {
                html.Append("<li>").Append(E(e)).Append("</li>");
            }
            html.Append("</ul></section>");
        }

        var series = report.Series;
        var totals = report.Sites.ToDictionary(s => s.Name, s => s.TotalGpus);
        html.Append("<section><h2>Usable GPUs per site</h2>");
        html.Append(LineChart(series.Seconds, report.VirtualSeconds,
            series.UsableGpus.Select(kv => (kv.Key, (IReadOnlyList<double>)kv.Value.Select(v => totals.GetValueOrDefault(kv.Key) is > 0 and var t ? v / (double)t : 0).ToList())).ToList(),
            percent: true, "usable GPUs, share of the site"));
        html.Append(Legend(series.UsableGpus.Keys.Select(k => $"{k} ({N(totals.GetValueOrDefault(k), "#,0")} GPUs, min {N(report.Sites.FirstOrDefault(s => s.Name == k)?.MinUsableGpus ?? 0, "#,0")})"))).Append("</section>");

        html.Append("<section><h2>Goodput over time</h2>");
        html.Append(LineChart(series.Seconds, report.VirtualSeconds,
            series.Goodput.Select(kv => (kv.Key, kv.Value)).ToList(), percent: true, "cumulative goodput per job"));
        html.Append(Legend(series.Goodput.Keys)).Append("</section>");

        html.Append("<section><h2>Faults timeline</h2>").Append(Timeline(report)).Append("</section>");
        html.Append("<section><h2>Recovery durations</h2>").Append(Histogram(report.Recoveries.Select(r => r.Seconds).ToList())).Append("</section>");

        html.Append("<section class=\"two\"><div><h2>Jobs</h2><table><thead><tr><th>job</th><th>GPUs</th><th>sites</th><th>state</th><th>goodput</th><th>interruptions</th><th>lost work</th><th>downtime</th></tr></thead><tbody>");
        foreach (var j in report.Jobs)
        {
            html.Append("<tr><td>").Append(E(j.Id)).Append("</td><td class=\"num\">").Append(N(j.Gpus, "#,0")).Append("</td><td>")
                .Append(E(string.Join(", ", j.Sites))).Append("</td><td>").Append(E(j.State)).Append("</td><td class=\"num\">")
                .Append(N(j.Goodput * 100, "0.00")).Append("%</td><td class=\"num\">").Append(j.Interruptions).Append("</td><td class=\"num\">")
                .Append(Dur(j.LostWorkSeconds)).Append("</td><td class=\"num\">").Append(Dur(j.DowntimeSeconds)).Append("</td></tr>");
        }
        html.Append("</tbody></table></div><div><h2>Sites</h2><table><thead><tr><th>site</th><th>GPUs</th><th>usable at end</th><th>fewest usable</th></tr></thead><tbody>");
        foreach (var s in report.Sites)
        {
            html.Append("<tr><td>").Append(E(s.Name)).Append("</td><td class=\"num\">").Append(N(s.TotalGpus, "#,0")).Append("</td><td class=\"num\">")
                .Append(N(s.UsableGpus, "#,0")).Append("</td><td class=\"num\">").Append(N(s.MinUsableGpus, "#,0")).Append("</td></tr>");
        }
        html.Append("</tbody></table></div></section>");

        html.Append("<footer>AI Factory Twin · scenario report · ").Append(N(report.Actions, "#,0")).Append(" engine actions</footer>");
        html.Append("</main></body></html>\n");
        return html.ToString();
    }

    private const string Css = """
        :root{--fg:#0f172a;--muted:#64748b;--line:#e2e8f0;--bg:#f8fafc;--card:#fff;--ok:#16a34a;--bad:#dc2626}
        *{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
        main{max-width:1020px;margin:0 auto;padding:24px}
        header{display:flex;justify-content:space-between;align-items:flex-start;gap:16px;margin-bottom:16px}
        h1{margin:0 0 4px;font-size:26px;letter-spacing:-.01em}h2{font-size:15px;margin:0 0 10px;color:#334155;text-transform:uppercase;letter-spacing:.06em}
        .desc{margin:0 0 4px;font-size:15px}.meta{margin:0;color:var(--muted)}
        .verdict{font-weight:800;font-size:22px;padding:10px 22px;border-radius:10px;color:#fff;letter-spacing:.08em}
        .verdict.passed{background:var(--ok)}.verdict.failed{background:var(--bad)}
        section{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:16px 18px;margin-bottom:16px}
        .cards{display:grid;grid-template-columns:repeat(6,1fr);gap:12px;background:none;border:0;padding:0}
        .card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:12px 14px}
        .card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em}.card .v{font-size:24px;font-weight:700;margin:2px 0}
        .card .s{color:var(--muted);font-size:12px}
        table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line)}
        th{font-size:12px;color:var(--muted);font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
        code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f1f5f9;padding:1px 5px;border-radius:4px}
        .pill{display:inline-block;padding:1px 10px;border-radius:999px;font-size:12px;font-weight:700;color:#fff}.pill.ok{background:var(--ok)}.pill.bad{background:var(--bad)}
        .muted{color:var(--muted)}.errors{border-color:#fecaca;background:#fef2f2}.errors li{color:#991b1b}
        .legend{display:flex;flex-wrap:wrap;gap:14px;margin-top:6px;color:#334155;font-size:13px}.legend i{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:6px;vertical-align:-1px}
        svg{width:100%;height:auto;display:block}svg text{font:11px system-ui,sans-serif;fill:#64748b}
        .two{display:grid;grid-template-columns:3fr 2fr;gap:18px}
        footer{color:var(--muted);font-size:12px;text-align:center;margin:8px 0 24px}
        @media (max-width:800px){.cards{grid-template-columns:repeat(2,1fr)}.two{grid-template-columns:1fr}}
        """;

    private static void Card(StringBuilder html, string key, string value, string sub) =>
        html.Append("<div class=\"card\"><div class=\"k\">").Append(E(key)).Append("</div><div class=\"v\">").Append(E(value))
            .Append("</div><div class=\"s\">").Append(E(sub)).Append("</div></div>");

    private static string Legend(IEnumerable<string> names)
    {
        var sb = new StringBuilder("<div class=\"legend\">");
        var i = 0;
        foreach (var n in names)
        {
            sb.Append("<span><i style=\"background:").Append(Palette[i++ % Palette.Length]).Append("\"></i>").Append(E(n)).Append("</span>");
        }
        return sb.Append("</div>").ToString();
    }

    /// <summary>Time axis unit: hours up to three days, days beyond.</summary>
    private static (double Seconds, string Unit) TimeUnit(double total) => total > 3 * 86400 ? (86400, "d") : total > 3 * 3600 ? (3600, "h") : (60, "min");

    private static string LineChart(IReadOnlyList<double> t, double duration, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> lines, bool percent, string yLabel)
    {
        if (t.Count == 0 || lines.Count == 0)
        {
            return "<p class=\"muted\">no data</p>";
        }
        var min = lines.SelectMany(l => l.Values).DefaultIfEmpty(0).Min();
        // Zoom the y axis onto the interesting band, but never so far that noise looks like a cliff.
        var lo = min >= 0.99 ? 0.98 : min >= 0.9 ? Math.Floor(min * 50) / 50 : min >= 0.5 ? Math.Floor(min * 10) / 10 : 0;
        const double hi = 1.0;
        var sb = Svg(Height);
        var (unitSeconds, unit) = TimeUnit(duration);
        Axes(sb, duration, unitSeconds, unit, lo, hi, v => N(v * 100, hi - lo < 0.05 ? "0.0" : "0") + (percent ? "%" : ""), yLabel);
        for (var i = 0; i < lines.Count; i++)
        {
            var (name, values) = lines[i];
            var points = new StringBuilder();
            for (var k = 0; k < values.Count && k < t.Count; k++)
            {
                points.Append(N(X(t[k], duration), "0.#")).Append(',').Append(N(Y(values[k], lo, hi), "0.#")).Append(' ');
            }
            sb.Append("<polyline fill=\"none\" stroke-width=\"2\" stroke-linejoin=\"round\" stroke=\"").Append(Palette[i % Palette.Length])
                .Append("\" points=\"").Append(points.ToString().TrimEnd()).Append("\"><title>").Append(E(name)).Append("</title></polyline>");
        }
        return sb.Append("</svg>").ToString();
    }

    private static string Timeline(ScenarioReport report)
    {
        var faults = report.Faults;
        if (faults.Count == 0)
        {
            return "<p class=\"muted\">no faults</p>";
        }
        var kinds = faults.Select(f => f.Kind).Distinct().ToList();
        const int lane = 26;
        var height = Top + Bottom + kinds.Count * lane;
        var duration = report.VirtualSeconds;
        var sb = Svg(height);
        var (unitSeconds, unit) = TimeUnit(duration);
        var plotLeft = 130;
        double Tx(double s) => plotLeft + s / duration * (Width - plotLeft - Right);
        TimeAxis(sb, duration, unitSeconds, unit, height - Bottom, Tx, Top);
        for (var k = 0; k < kinds.Count; k++)
        {
            var y = Top + k * lane;
            sb.Append("<rect x=\"").Append(plotLeft).Append("\" y=\"").Append(y + 2).Append("\" width=\"").Append(Width - plotLeft - Right)
                .Append("\" height=\"").Append(lane - 4).Append("\" fill=\"").Append(k % 2 == 0 ? "#f8fafc" : "#fff").Append("\"/>");
            sb.Append("<text x=\"").Append(plotLeft - 8).Append("\" y=\"").Append(y + lane / 2 + 4).Append("\" text-anchor=\"end\">").Append(E(kinds[k])).Append("</text>");
        }
        foreach (var f in faults)
        {
            var k = kinds.IndexOf(f.Kind);
            var y = Top + k * lane;
            var color = f.Error is not null ? "#dc2626" : f.Source == "random" ? Palette[k % Palette.Length] : "#0f172a";
            var tip = $"{DurationText.Format(TimeSpan.FromSeconds(Math.Round(f.AtSeconds)))} {f.Kind} {f.Target}" +
                (f.Cause is null ? "" : $" ({f.Cause})") + (f.Error is null ? "" : $" — rejected: {f.Error}") +
                (f.RepairedAtSeconds is { } r ? $" · repaired after {DurationText.Format(TimeSpan.FromSeconds(Math.Round(r - f.AtSeconds)))}" : "");
            if (f.FaultId is null || f.Kind == FailureCauses.JobCrash)
            {
                // A crash (or a rejected fault) has no duration: a diamond at its instant.
                var cx = Tx(f.AtSeconds);
                var cy = y + lane / 2.0;
                sb.Append("<path d=\"M").Append(N(cx, "0.#")).Append(',').Append(N(cy - 6, "0.#")).Append(" l6,6 l-6,6 l-6,-6 z\" fill=\"")
                    .Append(color).Append("\" fill-opacity=\"0.8\"><title>").Append(E(tip)).Append("</title></path>");
            }
            else
            {
                var x0 = Tx(f.AtSeconds);
                var x1 = Tx(f.RepairedAtSeconds ?? duration);
                sb.Append("<rect x=\"").Append(N(x0, "0.#")).Append("\" y=\"").Append(y + 6).Append("\" width=\"").Append(N(Math.Max(2, x1 - x0), "0.#"))
                    .Append("\" height=\"").Append(lane - 12).Append("\" rx=\"3\" fill=\"").Append(color).Append("\" fill-opacity=\"0.65\"><title>")
                    .Append(E(tip)).Append("</title></rect>");
            }
        }
        sb.Append("</svg>");
        var legend = "<div class=\"legend\"><span><i style=\"background:#0f172a\"></i>scheduled</span><span><i style=\"background:" + Palette[0] +
            "\"></i>random (bar = until repaired; ◆ = job crash)</span><span><i style=\"background:#dc2626\"></i>rejected</span></div>";
        return sb + legend;
    }

    private static string Histogram(IReadOnlyList<double> seconds)
    {
        if (seconds.Count == 0)
        {
            return "<p class=\"muted\">no recoveries</p>";
        }
        var max = seconds.Max();
        var inMinutes = max < 3 * 3600;
        var scale = inMinutes ? 60.0 : 3600.0;
        var unit = inMinutes ? "min" : "h";
        var maxUnits = Math.Max(max / scale, 1e-9);
        var step = NiceStep(maxUnits / 20);
        var bins = Math.Max(1, (int)Math.Ceiling(maxUnits / step + 1e-9));
        if (maxUnits / step == Math.Floor(maxUnits / step))
        {
            bins++;
        }
        var counts = new int[bins];
        foreach (var s in seconds)
        {
            counts[Math.Clamp((int)Math.Floor(s / scale / step), 0, bins - 1)]++;
        }
        var top = counts.Max();
        var yStep = Math.Max(1, NiceStep(top / 4.0));
        var yMax = Math.Max(yStep, Math.Ceiling(top / yStep) * yStep);
        var sb = Svg(Height);
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        for (var v = 0.0; v <= yMax + 1e-9; v += yStep)
        {
            var y = Top + plotH - v / yMax * plotH;
            sb.Append("<line x1=\"").Append(Left).Append("\" x2=\"").Append(Width - Right).Append("\" y1=\"").Append(N(y, "0.#")).Append("\" y2=\"")
                .Append(N(y, "0.#")).Append("\" stroke=\"#e2e8f0\"/><text x=\"").Append(Left - 8).Append("\" y=\"").Append(N(y + 4, "0.#"))
                .Append("\" text-anchor=\"end\">").Append(N(v, "0")).Append("</text>");
        }
        var bw = plotW / (double)bins;
        for (var b = 0; b < bins; b++)
        {
            var h = counts[b] / yMax * plotH;
            var x = Left + b * bw;
            sb.Append("<rect x=\"").Append(N(x + 1, "0.#")).Append("\" y=\"").Append(N(Top + plotH - h, "0.#")).Append("\" width=\"")
                .Append(N(Math.Max(1, bw - 2), "0.#")).Append("\" height=\"").Append(N(h, "0.#")).Append("\" rx=\"2\" fill=\"").Append(Palette[0])
                .Append("\"><title>").Append(N(b * step, "0.##")).Append('–').Append(N((b + 1) * step, "0.##")).Append(' ').Append(unit).Append(": ")
                .Append(counts[b]).Append("</title></rect>");
        }
        var labelEvery = Math.Max(1, bins / 10);
        for (var b = 0; b <= bins; b += labelEvery)
        {
            sb.Append("<text x=\"").Append(N(Left + b * bw, "0.#")).Append("\" y=\"").Append(Height - Bottom + 16).Append("\" text-anchor=\"middle\">")
                .Append(N(b * step, "0.##")).Append("</text>");
        }
        sb.Append("<text x=\"").Append(Width - Right).Append("\" y=\"").Append(Height - 4).Append("\" text-anchor=\"end\">recovery duration (").Append(unit)
            .Append(")</text><text x=\"12\" y=\"").Append(Top + plotH / 2).Append("\" transform=\"rotate(-90 12 ").Append(Top + plotH / 2)
            .Append(")\" text-anchor=\"middle\">recoveries</text></svg>");
        return sb.ToString();
    }

    private static StringBuilder Svg(int height) =>
        new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").Append(Width).Append(' ').Append(height)
            .Append("\" role=\"img\">");

    private static double X(double seconds, double duration) => Left + seconds / Math.Max(duration, 1e-9) * (Width - Left - Right);

    private static double Y(double v, double lo, double hi) => Top + (1 - (Math.Clamp(v, lo, hi) - lo) / (hi - lo)) * (Height - Top - Bottom);

    private static void Axes(StringBuilder sb, double duration, double unitSeconds, string unit, double lo, double hi, Func<double, string> label, string yLabel)
    {
        var step = NiceStep((hi - lo) / 5);
        for (var v = Math.Ceiling(lo / step - 1e-9) * step; v <= hi + 1e-9; v += step)
        {
            var y = Y(v, lo, hi);
            sb.Append("<line x1=\"").Append(Left).Append("\" x2=\"").Append(Width - Right).Append("\" y1=\"").Append(N(y, "0.#")).Append("\" y2=\"")
                .Append(N(y, "0.#")).Append("\" stroke=\"#e2e8f0\"/><text x=\"").Append(Left - 8).Append("\" y=\"").Append(N(y + 4, "0.#"))
                .Append("\" text-anchor=\"end\">").Append(E(label(v))).Append("</text>");
        }
        TimeAxis(sb, duration, unitSeconds, unit, Height - Bottom, s => X(s, duration), Top);
        sb.Append("<text x=\"12\" y=\"").Append((Height - Bottom + Top) / 2).Append("\" transform=\"rotate(-90 12 ").Append((Height - Bottom + Top) / 2)
            .Append(")\" text-anchor=\"middle\">").Append(E(yLabel)).Append("</text>");
    }

    private static void TimeAxis(StringBuilder sb, double duration, double unitSeconds, string unit, int baseline, Func<double, double> x, int top)
    {
        var step = NiceStep(duration / unitSeconds / 8) * unitSeconds;
        for (var s = 0.0; s <= duration + 1e-6; s += step)
        {
            var px = x(s);
            sb.Append("<line x1=\"").Append(N(px, "0.#")).Append("\" x2=\"").Append(N(px, "0.#")).Append("\" y1=\"").Append(top).Append("\" y2=\"")
                .Append(baseline).Append("\" stroke=\"#f1f5f9\"/><text x=\"").Append(N(px, "0.#")).Append("\" y=\"").Append(baseline + 16)
                .Append("\" text-anchor=\"middle\">").Append(N(s / unitSeconds, "0.##")).Append("</text>");
        }
        sb.Append("<line x1=\"").Append(N(x(0), "0.#")).Append("\" x2=\"").Append(N(x(duration), "0.#")).Append("\" y1=\"").Append(baseline)
            .Append("\" y2=\"").Append(baseline).Append("\" stroke=\"#94a3b8\"/>");
        sb.Append("<text x=\"").Append(Width - Right).Append("\" y=\"").Append(baseline + 32).Append("\" text-anchor=\"end\">virtual time (").Append(unit).Append(")</text>");
    }

    /// <summary>1, 2 or 5 × a power of ten, at least <paramref name="rough"/>.</summary>
    private static double NiceStep(double rough)
    {
        if (!(rough > 0))
        {
            return 1;
        }
        var pow = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var f = rough / pow;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * pow;
    }

    private static string Dur(double seconds) => seconds <= 0 ? "0s"
        : seconds < 60 ? N(seconds, "0.#") + "s"
        : seconds < 3600 ? N(seconds / 60, "0.#") + " min"
        : seconds < 86400 * 2 ? N(seconds / 3600, "0.##") + " h"
        : N(seconds / 86400, "0.##") + " d";

    // Adding 0.0 turns -0 into 0, so an axis never reads "-0%".
    private static string N(double v, string format) => (v + 0.0 == 0 ? 0.0 : v).ToString(format, CultureInfo.InvariantCulture);

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
