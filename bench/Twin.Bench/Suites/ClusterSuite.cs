using System.Diagnostics;
using Twin.LocalCluster;
using Twin.Silo.Hosting;

namespace Twin.Bench.Suites;

/// <summary>
/// The Prometheus ingest of <see cref="IngestSuite"/> on a three-silo cluster on loopback: a real PostgreSQL for
/// membership (initdb + pg_ctl from the machine's binaries), three processes of the built <c>twin</c> executable,
/// each fed by its own exporter-like poster that keeps its silo. Device grains are placed on the silo that first
/// calls them, so each GPU lives where its telemetry arrives and device calls stay local. The baseline is the
/// one-silo figure of the same run; on two cores the three silos share what one silo had alone.
/// </summary>
public static class ClusterSuite
{
    public const int Silos = 3;

    public static async Task<List<Figure>> Run(string root, string topologyPath, TimeSpan budget, double oneSiloSamplesPerSecond)
    {
        var twinDll = SiloProcess.TwinDll(root);
        var logs = Directory.CreateTempSubdirectory("twin-bench-cluster-").FullName;
        var topology = TwinHost.LoadTopology(topologyPath);
        var gpus = Payloads.Gpus(topology);
        var text = Payloads.DcgmBodies(gpus, IngestSuite.GpusPerBody, rounds: 2);
        var bodies = text[0].Length;

        await using var postgres = await PostgresServer.Start(CancellationToken.None);
        var silos = new List<SiloProcess>();
        try
        {
            var started = Stopwatch.StartNew();
            silos.AddRange(Enumerable.Range(1, Silos).Select(i => SiloProcess.Start($"silo{i}", twinDll, postgres.ConnectionString, logs,
                $"--Twin:Topology={topologyPath}",
                "--Twin:Ingest:MaxBodyBytes=268435456",
                "--Twin:OrleansDashboard=false",
                "--Logging:LogLevel:Twin=Warning")));
            await Task.WhenAll(silos.Select(s => s.WaitHealthy(TimeSpan.FromMinutes(5), CancellationToken.None)));
            started.Stop();
            Console.WriteLine($"cluster: {Silos} silos of {Path.GetFileName(topologyPath)} healthy in {started.Elapsed.TotalSeconds:0.0} s");

            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 8 }) { Timeout = TimeSpan.FromMinutes(2) };
            // an exporter keeps its silo (its connection, or a router keyed by host): body b always goes to silo b mod 3,
            // so its GPUs' grains are placed there (device grains prefer the silo that first calls them)
            var mine = Enumerable.Range(0, Silos).Select(s => Enumerable.Range(0, bodies).Where(b => b % Silos == s).ToArray()).ToArray();
            Task<long> PostTo(int silo, byte[] body) =>
                IngestSuite.Post(http, new Uri(silos[silo].Http.BaseAddress!, "/api/v1/telemetry/prometheus"), body, "text/plain");
            Task<long> Post(int i)
            {
                var (silo, turn) = (i % Silos, i / Silos);
                var body = mine[silo][turn % mine[silo].Length];
                return PostTo(silo, text[turn / mine[silo].Length % 2][body]);
            }

            // every GPU grain activated somewhere in the cluster, then steady state, unmeasured
            var first = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, bodies).Select(b => PostTo(b % Silos, text[0][b])));
            first.Stop();
            Console.WriteLine($"cluster: {gpus.Count:N0} GPU grains activated across the silos in {first.Elapsed.TotalSeconds:0.0} s");
            await Measure.Rate(Silos, Measure.WarmUp(budget), Post);

            var rate = await Measure.Rate(Silos, budget, Post);
            var workingSets = silos.Select(s => WorkingSet(s.Pid)).ToList();
            Console.WriteLine($"cluster: prometheus {rate:N0} samples/s; working sets {string.Join(", ", workingSets.Select(w => $"{w / 1e9:0.00} GB"))}");
            return
            [
                new("cluster.ingest.prometheus.samplesPerSecond", rate, "samples/s", oneSiloSamplesPerSecond, "samples/s", "one silo, same bodies, same run"),
                new("cluster.startSeconds", started.Elapsed.TotalSeconds, "s", first.Elapsed.TotalSeconds, "s", "first ingest pass (activates every GPU grain)"),
                new("cluster.workingSetBytesPerSilo", workingSets.Average(), "bytes", workingSets.Max(), "bytes", "largest silo"),
            ];
        }
        finally
        {
            foreach (var silo in silos)
            {
                silo.Dispose();
            }
            Directory.Delete(logs, recursive: true);
        }
    }

    private static long WorkingSet(int pid)
    {
        try
        {
            return Process.GetProcessById(pid).WorkingSet64;
        }
        catch (ArgumentException)
        {
            return 0; // exited
        }
    }
}
