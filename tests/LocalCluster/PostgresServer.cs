using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Twin.LocalCluster;

/// <summary>
/// A throw-away PostgreSQL from the machine's own binaries: initdb into a temp directory, pg_ctl on a
/// free loopback port. PostgreSQL refuses to run as root, so as root it runs as the <c>postgres</c> user
/// in a directory that user owns.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _dir;
    private bool _started;

    private PostgresServer(string bin, string dir, int port)
    {
        _bin = bin;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=twin;Database=twin;Pooling=true;Timeout=10";

    public static async Task<PostgresServer> Start(CancellationToken cancellationToken)
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or on PATH: " +
            "install them (Debian: apt-get install postgresql; .ci/run does this) to run the cluster tests and benchmark");
        var dir = Path.Combine(Path.GetTempPath(), "twin-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var server = new PostgresServer(bin, dir, FreePort());
        try
        {
            if (Environment.IsPrivilegedProcess)
            {
                await Run("chown", ["postgres:postgres", dir], asPostgres: false, cancellationToken);
            }
            await server.Tool("initdb", ["-D", server.Data, "-U", "twin", "--auth=trust", "-E", "UTF8", "--no-sync"], cancellationToken);
            await server.Resume(cancellationToken);
            server._started = true;
            await using (var admin = new NpgsqlConnection($"Host=127.0.0.1;Port={server.Port};Username=twin;Database=postgres"))
            {
                await admin.OpenAsync(cancellationToken);
                await using var create = new NpgsqlCommand("CREATE DATABASE twin", admin);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private string Data => Path.Combine(_dir, "data");

    public async Task<T> Scalar<T>(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Stops the server at once (connections are cut, as in a crash or a failover); <see cref="Resume"/> starts it again.</summary>
    public Task Halt(CancellationToken cancellationToken) =>
        Tool("pg_ctl", ["-D", Data, "-m", "immediate", "-w", "-t", "60", "stop"], cancellationToken);

    public Task Resume(CancellationToken cancellationToken) =>
        Tool("pg_ctl", ["-D", Data, "-l", Path.Combine(_dir, "postgres.log"), "-w", "-t", "60",
            "-o", $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start"], cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            try
            {
                await Tool("pg_ctl", ["-D", Data, "-m", "immediate", "-w", "-t", "30", "stop"], CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
                // already gone; the directory goes regardless
            }
        }
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task Tool(string name, string[] args, CancellationToken cancellationToken) =>
        Run(Path.Combine(_bin, name), args, asPostgres: Environment.IsPrivilegedProcess, cancellationToken);

    private static async Task Run(string file, string[] args, bool asPostgres, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var a in (string[])["-u", "postgres", "--", file])
            {
                start.ArgumentList.Add(a);
            }
        }
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} exited {process.ExitCode}: {await errors}{await output}");
        }
    }

    private static string? FindBinaries()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
            : Enumerable.Empty<string>();
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Where(d => d.Length > 0 && File.Exists(Path.Combine(d, "pg_ctl")) && File.Exists(Path.Combine(d, "initdb")));
        return versions.Concat(onPath).FirstOrDefault();
    }
}
