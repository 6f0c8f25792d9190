using System.Reflection;
using Npgsql;

namespace Twin.Silo.Cluster;

/// <summary>
/// Brings a PostgreSQL database to the schema the cluster profile needs: Orleans' membership, grain
/// storage and reminder tables with their named statements, and the event history. The scripts are
/// embedded resources (<c>Cluster/Sql/NNN-name.sql</c>) applied in order, each in its own transaction,
/// and recorded in <c>twin_schema</c>. Silos started together serialise on an advisory lock, so one
/// applies and the others find the work done; the scripts are idempotent besides.
/// </summary>
public static class PostgresSchema
{
    // any constant both sides agree on: "twin" as ASCII
    private const long MigrationLock = 0x7477696e;

    public static IReadOnlyList<(int Version, string Name)> Migrations { get; } = Load().Select(m => (m.Version, m.Name)).ToList();

    /// <summary>Applies what is missing; returns the versions this call applied (empty when the database was current).</summary>
    public static async Task<IReadOnlyList<int>> Apply(NpgsqlDataSource db, TimeSpan waitForDatabase, CancellationToken cancellationToken)
    {
        await using var connection = await Open(db, waitForDatabase, cancellationToken);
        await Execute(connection, "SELECT pg_advisory_lock(@key)", cancellationToken, ("key", MigrationLock));
        try
        {
            await Execute(connection, """
                CREATE TABLE IF NOT EXISTS twin_schema (
                    version    integer     NOT NULL PRIMARY KEY,
                    name       text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);
            var done = new HashSet<int>();
            await using (var read = new NpgsqlCommand("SELECT version FROM twin_schema", connection))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    done.Add(reader.GetInt32(0));
                }
            }
            var applied = new List<int>();
            foreach (var migration in Load().Where(m => !done.Contains(m.Version)))
            {
                await using var tx = await connection.BeginTransactionAsync(cancellationToken);
                await using (var script = new NpgsqlCommand(migration.Sql, connection, tx))
                {
                    await script.ExecuteNonQueryAsync(cancellationToken);
                }
                await using (var record = new NpgsqlCommand("INSERT INTO twin_schema (version, name) VALUES (@v, @n)", connection, tx))
                {
                    record.Parameters.AddWithValue("v", migration.Version);
                    record.Parameters.AddWithValue("n", migration.Name);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }
                await tx.CommitAsync(cancellationToken);
                applied.Add(migration.Version);
            }
            return applied;
        }
        finally
        {
            await Execute(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", MigrationLock));
        }
    }

    // In docker-compose the database may still be starting: retry connecting for a bounded time.
    private static async Task<NpgsqlConnection> Open(NpgsqlDataSource db, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            try
            {
                return await db.OpenConnectionAsync(cancellationToken);
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static IEnumerable<(int Version, string Name, string Sql)> Load()
    {
        var assembly = typeof(PostgresSchema).Assembly;
        const string prefix = "Twin.Silo.Cluster.Sql.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var name = n[prefix.Length..^4];
                var version = int.Parse(name.AsSpan(0, name.IndexOf('-')), System.Globalization.CultureInfo.InvariantCulture);
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var text = new StreamReader(stream);
                return (version, name, text.ReadToEnd());
            })
            .OrderBy(m => m.version);
    }
}
