using System.Diagnostics;

namespace Twin.LocalCluster;

/// <summary>
/// One silo: the real <c>twin</c> executable (<c>dotnet twin.dll</c>) in cluster mode on its own ports.
/// Shared by the cluster tests and the benchmark's cluster suite.
/// </summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private bool _closed;

    private SiloProcess(string name, Process process, StreamWriter log, Uri http)
    {
        Name = name;
        _process = process;
        _log = log;
        Http = new HttpClient { BaseAddress = http, Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Name { get; }

    public HttpClient Http { get; }

    public int Pid => _process.Id;

    public int SiloPort { get; private init; }

    public bool Running => !_process.HasExited;

    /// <summary>The silo build of the caller's own configuration (Debug or Release) in the repository at <paramref name="repoRoot"/>.</summary>
    public static string TwinDll(string repoRoot)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
        var path = Path.Combine(repoRoot, "silos", "Twin.Silo", "bin", configuration, "net10.0", "twin.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"the twin executable is not built: {path}", path);
    }

    public int HttpPort => Http.BaseAddress!.Port;

    /// <summary>Starts a silo; <paramref name="extra"/> adds or overrides configuration (e.g. <c>--Twin:Topology=…</c>).</summary>
    public static SiloProcess Start(string name, string twinDll, string connectionString, string logDirectory, params string[] extra) =>
        Start(name, twinDll, connectionString, logDirectory, PostgresServer.FreePort(), extra);

    /// <summary>Starts a silo on a given HTTP port: a restarted silo keeps the address its clients know.</summary>
    public static SiloProcess Start(string name, string twinDll, string connectionString, string logDirectory, int httpPort, params string[] extra)
    {
        var siloPort = PostgresServer.FreePort();
        var gatewayPort = PostgresServer.FreePort();
        return Launch(name, twinDll, logDirectory, httpPort, siloPort, serverGc: false,
        [
            "--Twin:Mode=cluster",
            $"--ConnectionStrings:Twin={connectionString}",
            "--Twin:AdvertisedAddress=127.0.0.1",
            $"--Twin:SiloPort={siloPort}",
            $"--Twin:GatewayPort={gatewayPort}",
            "--Twin:Synthetic:Enabled=false",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Twin=Information",
            .. extra,
        ]);
    }

    /// <summary>
    /// Starts the twin as a user runs it (<c>dotnet run --project silos/Twin.Silo</c>): embedded, every setting at its
    /// default (synthetic telemetry on, Orleans Dashboard off, its own GC settings), only the ports moved to free ones.
    /// </summary>
    public static SiloProcess StartDefault(string name, string twinDll, string logDirectory, params string[] extra)
    {
        var siloPort = PostgresServer.FreePort();
        return Launch(name, twinDll, logDirectory, PostgresServer.FreePort(), siloPort, serverGc: null,
            [$"--Twin:SiloPort={siloPort}", $"--Twin:GatewayPort={PostgresServer.FreePort()}", .. extra]);
    }

    private static SiloProcess Launch(string name, string twinDll, string logDirectory, int httpPort, int siloPort, bool? serverGc, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(twinDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])[twinDll, "--urls", $"http://127.0.0.1:{httpPort}", .. args])
        {
            start.ArgumentList.Add(a);
        }
        if (serverGc is { } server)
        {
            start.Environment["DOTNET_gcServer"] = server ? "1" : "0"; // three silos share two cores
        }
        var log = new StreamWriter(Path.Combine(logDirectory, $"{name}.log"), append: true) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet twin.dll");
        var silo = new SiloProcess(name, process, log, new Uri($"http://127.0.0.1:{httpPort}")) { SiloPort = siloPort };
        process.OutputDataReceived += (_, e) => silo.Write(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Waits until <c>/healthz</c> answers 200, or fails with the silo's log.</summary>
    public async Task WaitHealthy(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"silo {Name} exited with {_process.ExitCode}; see its log");
            }
            try
            {
                using var response = await Http.GetAsync("/healthz", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            await Task.Delay(250, cancellationToken);
        }
        throw new TimeoutException($"silo {Name} not healthy within {timeout}");
    }

    /// <summary>SIGKILL: no graceful shutdown, no membership goodbye — what a crash or a pulled plug looks like.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>SIGTERM, as a deploy or scale-in sends it: the silo drains and leaves the cluster; waits until it exited.</summary>
    public async Task Terminate(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }
        using (var signal = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"silo {Name} did not stop within {timeout} of SIGTERM");
        }
    }

    public void Dispose()
    {
        Kill();
        Http.Dispose();
        _process.Dispose();
        lock (_log)
        {
            _closed = true;
            _log.Dispose();
        }
    }

    private void Write(string? line)
    {
        lock (_log)
        {
            if (line is not null && !_closed)
            {
                _log.WriteLine(line);
            }
        }
    }
}
