using System.Diagnostics;
using System.Text;

namespace Twin.Api.Tests.Observability;

/// <summary>
/// A real Prometheus server on a free loopback port with its own config and a temporary TSDB directory, stopped
/// (its process killed) and cleaned up on dispose. Its log is kept for assertion messages.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;
    private readonly StringBuilder _log = new();

    private PrometheusServer(Process process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
    }

    public int Port { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts Prometheus with <paramref name="configYaml"/> and waits until it reports ready.</summary>
    public static async Task<PrometheusServer> Start(string configYaml, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(Path.GetTempPath(), "twin-prom-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var config = Path.Combine(dir, "prometheus.yml");
        await File.WriteAllTextAsync(config, configYaml, cancellationToken);
        var port = TwinAppFixture.FreePort();
        var start = new ProcessStartInfo(PrometheusTools.Find("prometheus"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(dir, "data")}",
            $"--web.listen-address=127.0.0.1:{port}", "--log.level=info",
        })
        {
            start.ArgumentList.Add(arg);
        }
        var server = new PrometheusServer(Process.Start(start)!, dir, port);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                if (server._process.HasExited)
                {
                    throw new InvalidOperationException("prometheus exited at start: " + server.Log);
                }
                try
                {
                    using var ready = await http.GetAsync($"http://127.0.0.1:{port}/-/ready", cancellationToken);
                    if (ready.IsSuccessStatusCode)
                    {
                        return server;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                }
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("prometheus did not become ready in 30 s: " + server.Log);
                }
                await Task.Delay(100, cancellationToken);
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
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
            // a file still held open: the temp directory is left for the OS to clean
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            if (_log.Length < 64 * 1024)
            {
                _log.AppendLine(line);
            }
        }
    }
}
