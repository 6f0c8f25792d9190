using System.Diagnostics;
using Twin.LocalCluster;

namespace Twin.Bench;

/// <summary>
/// VictoriaMetrics single-node from the machine's own binary (Debian package <c>victoria-metrics</c>), on a free
/// loopback port with a throw-away data directory: the peer the ingest figures are compared with.
/// </summary>
public sealed class VictoriaMetricsServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private VictoriaMetricsServer(Process process, string dir, Uri address)
    {
        _process = process;
        _dir = dir;
        Address = address;
    }

    public Uri Address { get; }

    public static string? Find() =>
        new[] { "/usr/bin/victoria-metrics", "/usr/local/bin/victoria-metrics" }.Concat(
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, "victoria-metrics")))
        .FirstOrDefault(File.Exists);

    public static async Task<VictoriaMetricsServer> Start(string binary)
    {
        var dir = Directory.CreateTempSubdirectory("twin-bench-vm-").FullName;
        var port = PostgresServer.FreePort();
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            $"-storageDataPath={dir}", $"-httpListenAddr=127.0.0.1:{port}", "-loggerLevel=ERROR",
            "-retentionPeriod=1d", "-maxInsertRequestSize=268435456", "-search.disableCache",
        })
        {
            start.ArgumentList.Add(a);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start victoria-metrics");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new VictoriaMetricsServer(process, dir, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"victoria-metrics exited with {process.ExitCode} at start");
            }
            try
            {
                using var health = await http.GetAsync(new Uri(server.Address, "/health"));
                if (health.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        await server.DisposeAsync();
        throw new TimeoutException("victoria-metrics did not answer /health within 60 s");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
