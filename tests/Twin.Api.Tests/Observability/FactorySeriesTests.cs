using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Twin.Api.Tests.Observability;

/// <summary>
/// The factory's state as Prometheus series: there on a fresh twin's first scrape, following faults, DCI cuts, jobs and
/// inference services, lint-clean for promtool; the example alert rules load and fire in promtool's rule tests; and
/// every twin_ series README or the Grafana dashboard names is really exported after a workload.
/// Its own host: OpenTelemetry follows meters by name across the process.
/// </summary>
public sealed partial class FactorySeriesTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FactorySeries_FromTheFirstScrape_FollowTheFactory_AndLintClean()
    {
        await using var app = await Security.TwinTestHost.Start(["--Twin:Metrics:Refresh=00:00:00.200"]);

        // the very first scrape of a fresh twin, before any telemetry: demo.yaml has east 64 hosts × 8 GPUs, north 72 × 4,
        // and two 1,600 Gb/s DCI links between east and north
        var first = Series.Parse(await app.Http.GetStringAsync("/metrics", Ct));
        Assert.Equal(512, first.Value("twin_site_gpus", ("site", "east"), ("health", "healthy")));
        Assert.Equal(0, first.Value("twin_site_gpus", ("site", "east"), ("health", "failed")));
        Assert.Equal(288, first.Value("twin_site_usable_gpus", ("site", "north")));
        Assert.Equal(512, first.Value("twin_devices", ("site", "east"), ("kind", "gpu"), ("health", "healthy")));
        Assert.Equal(0, first.Value("twin_faults_active", ("site", "east"), ("kind", "gpu-xid")));
        Assert.Equal(2 * 1600, first.Value("twin_dci_available_gbps", ("a", "east"), ("b", "north")));

        using (var fault = await app.Http.PostJson("/api/v1/faults", new { kind = "gpu-xid", target = "east/gpu/h0010-1", parameters = new { xid = 79 } }))
        {
            Assert.Equal(201, (int)fault.StatusCode);
        }
        using (var cut = await app.Http.PostJson("/api/v1/faults", new { kind = "dci-cut", target = "dci/east-north" }))
        {
            Assert.Equal(201, (int)cut.StatusCode);
        }
        string jobId, serviceId;
        using (var job = await app.Http.PostJson("/api/v1/jobs", new
        {
            name = "metrics-job", gpus = 16, sites = new[] { "west" }, parallelism = new { tp = 8, pp = 1, dp = 2 },
        }))
        {
            Assert.Equal(201, (int)job.StatusCode);
            jobId = (string)(await job.Body())["id"]!;
        }
        using (var service = await app.Http.PostJson("/api/v1/inference", new
        {
            name = "chat", site = "north", model = new { @params = 70e9, bytesPerParam = 2 }, replicas = 1, gpusPerReplica = 4,
            requestsPerSecond = 10, tokensIn = 2000, tokensOut = 250, slaMs = new { ttft = 2000, tpot = 100 },
        }))
        {
            Assert.Equal(201, (int)service.StatusCode);
            var body = await service.Body();
            serviceId = (string)body["id"]!;
            Assert.True((bool)body["slaMet"]!);
        }

        var after = await Poll(app.Http, s =>
            s.Value("twin_site_gpus", ("site", "east"), ("health", "failed")) == 1
            && s.Value("twin_dci_available_gbps", ("a", "east"), ("b", "north")) == 0
            && s.Find("twin_job_state", ("job", jobId)) is not null
            && s.Find("twin_inference_sla_met", ("service", serviceId)) is not null);
        Assert.Equal(511, after.Value("twin_site_usable_gpus", ("site", "east")));
        Assert.Equal(511, after.Value("twin_site_gpus", ("site", "east"), ("health", "healthy")));
        Assert.Equal(1, after.Value("twin_faults_active", ("site", "east"), ("kind", "gpu-xid")));
        Assert.Equal(1, after.Sum("twin_faults_active", ("kind", "dci-cut"))); // a DCI fault belongs to the pair, not one site
        Assert.Equal(4 * 1600, after.Value("twin_dci_available_gbps", ("a", "east"), ("b", "west"))); // untouched pair
        Assert.Equal(1, after.Value("twin_job_state", ("job", jobId), ("state", "running")));
        var goodput = after.Value("twin_job_goodput", ("job", jobId));
        Assert.InRange(goodput, 0, 1);
        Assert.Equal(1, after.Value("twin_inference_sla_met", ("service", serviceId)));

        // promtool's lint (HELP present, naming, units, counter suffixes) over the twin's own families
        var own = string.Join('\n', after.Text.Split('\n').Where(l =>
            l.StartsWith("twin_", StringComparison.Ordinal) || l.StartsWith("# HELP twin_", StringComparison.Ordinal) || l.StartsWith("# TYPE twin_", StringComparison.Ordinal))) + "\n";
        Assert.Contains("# HELP twin_site_usable_gpus ", own);
        var (exit, output) = await PrometheusTools.Promtool(["check", "metrics"], own, Ct);
        Assert.True(exit == 0 && output.Trim().Length == 0, $"promtool check metrics (exit {exit}):\n{output}\n{own}");
    }

    [Fact]
    public async Task EverySeriesReadmeAndGrafanaName_IsExported_AfterAWorkload()
    {
        await using var app = await Security.TwinTestHost.Start(["--Twin:Metrics:Refresh=00:00:00.200"]);
        using (var telemetry = await app.Http.PostAsync("/api/v1/telemetry",
            new StringContent("{\"samples\":[{\"device\":\"east/gpu/h0031-2\",\"metrics\":{\"temperature_c\":51}},{\"device\":\"nowhere/gpu/x\",\"metrics\":{\"temperature_c\":1}}]}", Encoding.UTF8, "application/json"), Ct))
        {
            Assert.True(telemetry.IsSuccessStatusCode);
        }
        using (var fault = await app.Http.PostJson("/api/v1/faults", new { kind = "gpu-xid", target = "west/gpu/h0031-2", parameters = new { xid = 63 } }))
        {
            Assert.Equal(201, (int)fault.StatusCode);
        }
        using (var job = await app.Http.PostJson("/api/v1/jobs", new { name = "named", gpus = 16, sites = new[] { "west" }, parallelism = new { tp = 8, pp = 1, dp = 2 } }))
        {
            Assert.Equal(201, (int)job.StatusCode);
        }
        using (var service = await app.Http.PostJson("/api/v1/inference", new
        {
            name = "named", site = "north", model = new { @params = 70e9, bytesPerParam = 2 }, replicas = 1, gpusPerReplica = 4,
            requestsPerSecond = 10, tokensIn = 2000, tokensOut = 250, slaMs = new { ttft = 2000, tpot = 100 },
        }))
        {
            Assert.Equal(201, (int)service.StatusCode);
        }
        using var sse = await app.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/events/stream"), HttpCompletionOption.ResponseHeadersRead, Ct);

        var readme = await File.ReadAllTextAsync(TwinAppFixture.RepoFile("README.md"), Ct);
        var observability = readme[readme.IndexOf("### Observability endpoints", StringComparison.Ordinal)..readme.IndexOf("## Architecture", StringComparison.Ordinal)];
        var dashboard = JsonNode.Parse(await File.ReadAllTextAsync(TwinAppFixture.RepoFile("deploy/grafana/twin-dashboard.json"), Ct))!;
        var exprs = string.Join('\n', dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]?.AsArray() ?? []).Select(t => (string)t!["expr"]!));
        var named = TwinName().Matches(observability + "\n" + exprs).Select(m => m.Value).ToHashSet();
        Assert.Contains("twin_sse_clients", named);
        Assert.Contains("twin_site_usable_gpus", named);

        var scraped = await Poll(app.Http, s => named.All(n => s.Names.Contains(n)), fail: false);
        var missing = named.Where(n => !scraped.Names.Contains(n)).ToList();
        Assert.True(missing.Count == 0, "named but not exported: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task AlertRules_LoadInPromtool_AndFireOnTheirConditions()
    {
        var rules = TwinAppFixture.RepoFile("deploy/prometheus/twin-alerts.yml");
        var (exit, output) = await PrometheusTools.Promtool(["check", "rules", rules], null, Ct);
        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS: 5 rules found", output);

        // promtool's rule unit tests: a site losing 20 % of its GPUs, a DCI pair going to 0, a breached SLA
        var dir = Directory.CreateTempSubdirectory("twin-rules-");
        try
        {
            var test = Path.Combine(dir.FullName, "test.yml");
            await File.WriteAllTextAsync(test, $$"""
                rule_files: ["{{rules}}"]
                evaluation_interval: 1m
                tests:
                  - interval: 1m
                    input_series:
                      - series: 'twin_site_usable_gpus{site="east"}'
                        values: '512 512 410x10'
                      - series: 'twin_site_gpus{site="east",health="healthy"}'
                        values: '512 512 410x10'
                      - series: 'twin_site_gpus{site="east",health="failed"}'
                        values: '0 0 102x10'
                      - series: 'twin_dci_available_gbps{a="east",b="north"}'
                        values: '3200 3200 0x10'
                      - series: 'twin_dci_available_gbps{a="east",b="west"}'
                        values: '6400x12'
                      - series: 'twin_inference_sla_met{service="inf-000001"}'
                        values: '1 1 0x10'
                    alert_rule_test:
                      - eval_time: 9m
                        alertname: TwinSiteUsableGpusLow
                        exp_alerts:
                          - exp_labels: { severity: warning, site: east }
                            exp_annotations:
                              summary: "Site east has 80.08% of its GPUs usable"
                              description: "Below 90 % usable GPUs; see twin_site_gpus by health and twin_faults_active for the cause."
                      - eval_time: 9m
                        alertname: TwinSiteUsableGpusCritical
                        exp_alerts: []
                      - eval_time: 5m
                        alertname: TwinDciPartition
                        exp_alerts:
                          - exp_labels: { severity: critical, a: east, b: north }
                            exp_annotations:
                              summary: "No DCI bandwidth between east and north"
                              description: "The sites are partitioned; jobs spanning them stop (onDciCut: stop) or train apart (split)."
                      - eval_time: 5m
                        alertname: TwinInferenceSlaBreached
                        exp_alerts:
                          - exp_labels: { severity: critical, service: inf-000001 }
                            exp_annotations:
                              summary: "Inference service inf-000001 misses its TTFT/TPOT SLA"
                      - eval_time: 1m
                        alertname: TwinDciPartition
                        exp_alerts: []
                """, Ct);
            (exit, output) = await PrometheusTools.Promtool(["test", "rules", test], null, Ct);
            Assert.True(exit == 0, output);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<Series> Poll(HttpClient http, Func<Series, bool> done, bool fail = true)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var series = Series.Parse(await http.GetStringAsync("/metrics", Ct));
            if (done(series))
            {
                return series;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.False(fail, "the series never reached the expected state:\n" + series.Text);
                return series;
            }
            await Task.Delay(100, Ct);
        }
    }

    [GeneratedRegex(@"\btwin_[a-z0-9_]+")]
    private static partial Regex TwinName();

    /// <summary>A scrape, parsed into (name, labels, value) rows.</summary>
    private sealed partial class Series(string text, List<(string Name, Dictionary<string, string> Labels, double Value)> rows)
    {
        public string Text => text;

        public HashSet<string> Names { get; } = rows.Select(r => r.Name).ToHashSet();

        public static Series Parse(string text)
        {
            var rows = new List<(string, Dictionary<string, string>, double)>();
            foreach (var line in text.Split('\n'))
            {
                var m = Row().Match(line);
                if (m.Success)
                {
                    var labels = Label().Matches(m.Groups[2].Value).ToDictionary(l => l.Groups[1].Value, l => l.Groups[2].Value);
                    rows.Add((m.Groups[1].Value, labels, double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)));
                }
            }
            return new Series(text, rows);
        }

        public double? Find(string name, params (string Key, string Value)[] labels) =>
            rows.Where(r => r.Name == name && labels.All(l => r.Labels.GetValueOrDefault(l.Key) == l.Value)).Select(r => (double?)r.Value).FirstOrDefault();

        public double Sum(string name, params (string Key, string Value)[] labels) =>
            rows.Where(r => r.Name == name && labels.All(l => r.Labels.GetValueOrDefault(l.Key) == l.Value)).Sum(r => r.Value);

        public double Value(string name, params (string Key, string Value)[] labels) =>
            Find(name, labels) ?? throw new Xunit.Sdk.XunitException($"no {name}{{{string.Join(",", labels.Select(l => $"{l.Key}=\"{l.Value}\""))}}} in:\n{text}");

        [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)")]
        private static partial Regex Row();

        [GeneratedRegex("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"")]
        private static partial Regex Label();
    }
}
