using Npgsql;
using NpgsqlTypes;
using Twin.Api.Resilience;

namespace Twin.Silo.Cluster;

/// <summary>
/// The cluster profile's idempotency keys: table <c>twin_idempotency</c>. A claim is one statement (insert, or take
/// over an expired row or an abandoned claim of the same request), so two silos given the same key at once cannot
/// both run it. The clock is the database's, the one every silo shares.
/// </summary>
public sealed class PostgresIdempotencyStore(NpgsqlDataSource db) : IIdempotencyStore
{
    private const string ClaimSql = """
        INSERT INTO twin_idempotency AS held (key, fingerprint, claimed_at, expires_at)
        VALUES (@key, @fingerprint, now(), now() + @lifetime)
        ON CONFLICT (key) DO UPDATE
            SET fingerprint = excluded.fingerprint, claimed_at = excluded.claimed_at, expires_at = excluded.expires_at,
                status = NULL, content_type = NULL, location = NULL, body = NULL
            WHERE held.expires_at <= now()
               OR (held.status IS NULL AND held.fingerprint = excluded.fingerprint AND held.claimed_at < now() - @abandoned)
        RETURNING 1
        """;

    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(10);
    private long _nextSweep;

    public async Task<IdempotencyRecord?> Claim(string key, string fingerprint, TimeSpan lifetime, TimeSpan abandonedAfter, CancellationToken cancellationToken)
    {
        await Sweep(cancellationToken);
        await using (var claim = db.CreateCommand(ClaimSql))
        {
            claim.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Text) { Value = key });
            claim.Parameters.Add(new NpgsqlParameter("fingerprint", NpgsqlDbType.Text) { Value = fingerprint });
            claim.Parameters.Add(new NpgsqlParameter("lifetime", NpgsqlDbType.Interval) { Value = lifetime });
            claim.Parameters.Add(new NpgsqlParameter("abandoned", NpgsqlDbType.Interval) { Value = abandonedAfter });
            if (await claim.ExecuteScalarAsync(cancellationToken) is not null)
            {
                return null;
            }
        }
        await using var read = db.CreateCommand("SELECT fingerprint, claimed_at, status, content_type, location, body FROM twin_idempotency WHERE key = @key");
        read.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Text) { Value = key });
        await using var row = await read.ExecuteReaderAsync(cancellationToken);
        if (!await row.ReadAsync(cancellationToken))
        {
            // released between the two statements: claim again
            await row.DisposeAsync();
            return await Claim(key, fingerprint, lifetime, abandonedAfter, cancellationToken);
        }
        var answer = row.IsDBNull(2) ? null : new StoredAnswer(row.GetInt32(2),
            row.IsDBNull(3) ? null : row.GetString(3), row.IsDBNull(4) ? null : row.GetString(4), (byte[])row.GetValue(5));
        return new IdempotencyRecord(row.GetString(0), answer, new DateTimeOffset(row.GetDateTime(1), TimeSpan.Zero));
    }

    public async Task Complete(string key, StoredAnswer answer, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("UPDATE twin_idempotency SET status = @status, content_type = @type, location = @location, body = @body WHERE key = @key");
        command.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Text) { Value = key });
        command.Parameters.Add(new NpgsqlParameter("status", NpgsqlDbType.Integer) { Value = answer.Status });
        command.Parameters.Add(new NpgsqlParameter("type", NpgsqlDbType.Text) { Value = (object?)answer.ContentType ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("location", NpgsqlDbType.Text) { Value = (object?)answer.Location ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("body", NpgsqlDbType.Bytea) { Value = answer.Body });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task Release(string key, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("DELETE FROM twin_idempotency WHERE key = @key AND status IS NULL");
        command.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Text) { Value = key });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // expired rows go every ten minutes per silo, not on every claim
    private async Task Sweep(CancellationToken cancellationToken)
    {
        var now = Environment.TickCount64;
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + (long)SweepEvery.TotalMilliseconds, due) != due)
        {
            return;
        }
        await using var command = db.CreateCommand("DELETE FROM twin_idempotency WHERE expires_at <= now()");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
