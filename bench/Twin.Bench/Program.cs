using System.Runtime.InteropServices;
using Twin.Bench;
using Twin.Bench.Suites;

// dotnet run -c Release --project bench/Twin.Bench -- all | activation ingest fault-sse rest peer cluster  [--topology FILE] [--seconds N]
// (cluster needs ingest's one-silo figure as its baseline, so it runs ingest too)
var suites = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal) && !a.EndsWith(".yaml", StringComparison.Ordinal)).ToHashSet();
string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
var root = FindRoot();
var topology = Path.GetFullPath(Option("--topology", Path.Combine(root, "scenarios/topologies/large.yaml")));
var budget = TimeSpan.FromSeconds(double.Parse(Option("--seconds", "10"), System.Globalization.CultureInfo.InvariantCulture));
bool Wants(string suite) => suites.Count == 0 || suites.Contains("all") || suites.Contains(suite);

Console.WriteLine($"Twin.Bench on {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}; topology {Path.GetFileName(topology)}; {budget.TotalSeconds:0} s per figure");
var figures = new List<Figure>();
await using (var host = await BenchHost.Start(topology))
{
    if (Wants("activation"))
    {
        figures.AddRange(await IngestSuite.Activation(host));
    }
    if (Wants("ingest") || Wants("cluster"))
    {
        figures.AddRange(await IngestSuite.Run(host, budget));
    }
    if (Wants("fault-sse"))
    {
        figures.AddRange(await FaultToSseSuite.Run(host, faults: 1_000, telemetrySamplesPerSecond: 100_000));
    }
    if (Wants("rest"))
    {
        figures.AddRange(await RestSuite.Run(host, budget, concurrency: 32));
    }
}
if (Wants("peer"))
{
    // the default twin against VictoriaMetrics, on the demo factory (the payload) and on the bench topology
    figures.AddRange(await PeerSuite.Run(root, Path.Combine(root, "scenarios/topologies/demo.yaml"), "demo.", budget));
    figures.AddRange(await PeerSuite.Run(root, topology, "", budget));
}
if (Wants("cluster"))
{
    // after the one-silo host is gone: the three silos get the machine to themselves
    var oneSilo = figures.Single(f => f.Name == "ingest.prometheus.samplesPerSecond").Value;
    figures.AddRange(await ClusterSuite.Run(root, topology, budget, oneSilo));
}
Report.Write(figures, Path.Combine(root, "bench"), $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
return 0;

static string FindRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Twin.sln")))
    {
        dir = dir.Parent;
    }
    return dir?.FullName ?? Directory.GetCurrentDirectory();
}
