namespace Twin.Cluster.Tests;

/// <summary>
/// A real PostgreSQL and three silo processes of the built <c>twin</c> executable, all on loopback.
/// Tests may kill silos and restart the cluster; whatever happens, disposal ends every process it
/// started and deletes the database directory.
/// </summary>
public sealed class TwinClusterFixture : IAsyncLifetime
{
    public const int Silos = 3;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly List<SiloProcess> _silos = [];
    private int _started;

    public PostgresServer Postgres { get; private set; } = null!;

    public string LogDirectory { get; } = Path.Combine(Path.GetTempPath(), "twin-cluster-logs-" + Guid.NewGuid().ToString("N")[..8]);

    public IReadOnlyList<SiloProcess> Running => _silos.Where(s => s.Running).ToList();

    public static string RepoFile(string relative) => Twin.Tests.Shared.RepoPaths.File(relative);

    /// <summary>The silo build of the same configuration as this test build (Debug or Release).</summary>
    public static string TwinDll() => SiloProcess.TwinDll(RepoFile(""));

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(LogDirectory);
        Postgres = await PostgresServer.Start(CancellationToken.None);
        await StartSilos(Silos, CancellationToken.None);
    }

    /// <summary>Starts silos together (they race for the schema lock and the membership table) and waits for all.</summary>
    public async Task StartSilos(int count, CancellationToken cancellationToken)
    {
        var fresh = Enumerable.Range(0, count)
            .Select(_ => SiloProcess.Start($"silo{++_started}", TwinDll(), Postgres.ConnectionString, LogDirectory))
            .ToList();
        _silos.AddRange(fresh);
        await Task.WhenAll(fresh.Select(s => s.WaitHealthy(StartTimeout, cancellationToken)));
    }

    /// <summary>A previous test may have left fewer silos running: tops the cluster up to <see cref="Silos"/>.</summary>
    public async Task EnsureSilos(CancellationToken cancellationToken)
    {
        var missing = Silos - Running.Count;
        if (missing > 0)
        {
            await StartSilos(missing, cancellationToken);
        }
    }

    /// <summary>A new silo process in place of a stopped one, on the same HTTP port (the address its clients know).</summary>
    public async Task<SiloProcess> Replace(SiloProcess stopped, CancellationToken cancellationToken)
    {
        var fresh = SiloProcess.Start($"silo{++_started}", TwinDll(), Postgres.ConnectionString, LogDirectory, stopped.HttpPort);
        _silos.Add(fresh);
        await fresh.WaitHealthy(StartTimeout, cancellationToken);
        return fresh;
    }

    /// <summary>Kills every running silo at once: the whole cluster goes down without a goodbye.</summary>
    public void KillAll()
    {
        foreach (var silo in _silos)
        {
            silo.Kill();
        }
    }

    public string LogTail(int lines = 40) => string.Join('\n', Directory.GetFiles(LogDirectory, "*.log")
        .Select(f => $"--- {Path.GetFileName(f)}\n" + string.Join('\n', File.ReadLines(f).TakeLast(lines))));

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            silo.Dispose();
        }
        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }
        try
        {
            Directory.Delete(LogDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TwinClusterCollection : ICollectionFixture<TwinClusterFixture>
{
    public const string Name = "twin-cluster";
}
