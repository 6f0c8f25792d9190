using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Twin.Grains.Observability;

namespace Twin.Api.Tests.Observability;

/// <summary>deploy/grafana/twin-dashboard.json queries only series the twin exports.</summary>
[Collection(TwinAppCollection.Name)]
public sealed partial class GrafanaDashboardTests(TwinAppFixture app)
{
    [Fact]
    public async Task EveryQueriedSeries_IsOneTheTwinExports()
    {
        var dashboard = JsonNode.Parse(await File.ReadAllTextAsync(TwinAppFixture.RepoFile("deploy/grafana/twin-dashboard.json"), TestContext.Current.CancellationToken))!;
        var queried = dashboard["panels"]!.AsArray()
            .SelectMany(p => p!["targets"]?.AsArray() ?? [])
            .Select(t => (string)t!["expr"]!)
            .SelectMany(e => SeriesName().Matches(e).Select(m => m.Value))
            .Select(Base).ToHashSet();
        Assert.NotEmpty(queried);

        // Twin instruments may not have been recorded yet in this process: take their names from the meter itself
        var declared = new HashSet<string>();
        using (var listener = new MeterListener { InstrumentPublished = (i, _) => { if (i.Meter.Name == TwinMetrics.MeterName) declared.Add(Base(i.Name.Replace('.', '_'))); } })
        {
            listener.Start();
            using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
            _ = new TwinMetrics(services.GetRequiredService<IMeterFactory>());
        }
        await app.Http.GetStringAsync("/api/v1/sites", TestContext.Current.CancellationToken);
        var scraped = (await app.Http.GetStringAsync("/metrics", TestContext.Current.CancellationToken))
            .Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => Base(l.Split(' ')[2])).ToHashSet();

        var unknown = queried.Where(q => q.StartsWith("twin_", StringComparison.Ordinal) ? !declared.Contains(q) && !scraped.Contains(q) : !scraped.Contains(q)).ToList();
        Assert.True(unknown.Count == 0, "not exported: " + string.Join(", ", unknown));
    }

    /// <summary>A family's name without the suffixes Prometheus adds (_total, _bucket, unit).</summary>
    private static string Base(string name) => Suffix().Replace(name, "");

    [GeneratedRegex(@"\b(twin|orleans|http|dotnet|kestrel|target)_[a-z0-9_]+(?=\{|\[)")]
    private static partial Regex SeriesName();

    [GeneratedRegex(@"(_seconds|_milliseconds|_bytes)?(_bucket|_count|_sum)?(_total)?$")]
    private static partial Regex Suffix();
}
