using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Twin.Contracts.Events;
using Twin.Grains.Events;
using Twin.Model.Devices;

namespace Twin.Silo.Cluster;

/// <summary>
/// The cluster profile's event history: table <c>twin_events</c>. One append is one round trip: a
/// transaction that takes an advisory lock, then inserts the batch's new ids numbered from max(seq).
/// The lock makes the numbering safe even in the moment two event-log activations overlap during a
/// failover, and commits in sequence order, so a reader never sees a gap fill in later. The history is
/// bounded like the in-memory one: rows older than <see cref="EventHistoryOptions.Capacity"/> go.
/// </summary>
public sealed class PostgresEventStore(NpgsqlDataSource db, IOptions<EventHistoryOptions> options) : IEventStore
{
    private const long AppendLock = 0x7477696e_6576; // "twin" "ev"

    private const string Columns = "seq, id, time, kind, site, device_id, device_kind, health, previous_health, fault_id, summary";

    private const string InsertSql = """
        WITH incoming AS (
            SELECT e.*, row_number() OVER (ORDER BY e.ord) AS n
            FROM unnest(@ids, @times, @kinds, @sites, @devices, @device_kinds, @healths, @previous, @faults, @summaries)
                 WITH ORDINALITY AS e(id, time, kind, site, device_id, device_kind, health, previous_health, fault_id, summary, ord)
            WHERE NOT EXISTS (SELECT 1 FROM twin_events t WHERE t.id = e.id)),
        base AS (SELECT coalesce(max(seq), 0) AS last FROM twin_events)
        INSERT INTO twin_events (seq, id, time, kind, site, device_id, device_kind, health, previous_health, fault_id, summary)
        SELECT base.last + incoming.n, id, time, kind, site, device_id, device_kind, health, previous_health, fault_id, summary
        FROM incoming, base
        ON CONFLICT (id) DO NOTHING
        RETURNING seq
        """;

    private readonly int _capacity = Math.Max(16, options.Value.Capacity);
    private long _oldest;

    public long Last { get; private set; }

    public async Task Open(CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("SELECT coalesce(min(seq), 0), coalesce(max(seq), 0) FROM twin_events");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        _oldest = reader.GetInt64(0);
        Last = reader.GetInt64(1);
    }

    public async Task<int> Append(IReadOnlyList<TwinEvent> events, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var batch = events.Where(e => seen.Add(e.Id)).ToList();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var sql = new NpgsqlBatch(connection);
        // a batch without an explicit transaction runs as one implicit transaction: the lock is held to commit
        sql.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1)") { Parameters = { new() { Value = AppendLock } } });
        var insert = new NpgsqlBatchCommand(InsertSql);
        Add(insert, "ids", NpgsqlDbType.Text, batch.Select(e => e.Id));
        Add(insert, "times", NpgsqlDbType.TimestampTz, batch.Select(e => e.Time.UtcDateTime));
        Add(insert, "kinds", NpgsqlDbType.Text, batch.Select(e => e.Kind));
        Add(insert, "sites", NpgsqlDbType.Text, batch.Select(e => e.Site));
        Add(insert, "devices", NpgsqlDbType.Text, batch.Select(e => e.DeviceId));
        Add(insert, "device_kinds", NpgsqlDbType.Smallint, batch.Select(e => (short?)e.DeviceKind));
        Add(insert, "healths", NpgsqlDbType.Smallint, batch.Select(e => (short?)e.Health));
        Add(insert, "previous", NpgsqlDbType.Smallint, batch.Select(e => (short?)e.PreviousHealth));
        Add(insert, "faults", NpgsqlDbType.Text, batch.Select(e => e.FaultId));
        Add(insert, "summaries", NpgsqlDbType.Text, batch.Select(e => e.Summary));
        sql.BatchCommands.Add(insert);

        var added = 0;
        await using (var reader = await sql.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken); // past the lock's row
            while (await reader.ReadAsync(cancellationToken))
            {
                Last = Math.Max(Last, reader.GetInt64(0));
                added++;
            }
        }
        if (_oldest == 0 && Last > 0)
        {
            _oldest = Last - added + 1;
        }
        if (Last - _oldest + 1 > _capacity + _capacity / 10)
        {
            await Trim(connection, cancellationToken); // every tenth of the capacity, not per append
        }
        return added;
    }

    public async Task<EventPage> Read(long since, int limit, EventFilter filter, CancellationToken cancellationToken)
    {
        var items = new List<TwinEvent>(Math.Min(Math.Max(limit, 0), 256));
        if (limit > 0 && since < Last)
        {
            await using var command = db.CreateCommand($"""
                SELECT {Columns} FROM twin_events
                WHERE seq > @since
                  AND (@site IS NULL OR site = @site)
                  AND (@kind IS NULL OR kind = @kind)
                  AND (@device IS NULL OR device_id = @device)
                ORDER BY seq
                LIMIT @limit
                """);
            command.Parameters.Add(new NpgsqlParameter("since", NpgsqlDbType.Bigint) { Value = since });
            command.Parameters.Add(new NpgsqlParameter("site", NpgsqlDbType.Text) { Value = (object?)filter.Site ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("kind", NpgsqlDbType.Text) { Value = (object?)filter.Kind ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("device", NpgsqlDbType.Text) { Value = (object?)filter.DeviceId ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = limit });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(new TwinEvent
                {
                    Sequence = reader.GetInt64(0),
                    Id = reader.GetString(1),
                    Time = new DateTimeOffset(reader.GetDateTime(2), TimeSpan.Zero),
                    Kind = reader.GetString(3),
                    Site = reader.GetString(4),
                    DeviceId = reader.IsDBNull(5) ? null : reader.GetString(5),
                    DeviceKind = reader.IsDBNull(6) ? null : (DeviceKind)reader.GetInt16(6),
                    Health = reader.IsDBNull(7) ? null : (DeviceHealth)reader.GetInt16(7),
                    PreviousHealth = reader.IsDBNull(8) ? null : (DeviceHealth)reader.GetInt16(8),
                    FaultId = reader.IsDBNull(9) ? null : reader.GetString(9),
                    Summary = reader.GetString(10),
                });
            }
        }
        return new EventPage(items, Last == 0 ? 0 : _oldest, Last);
    }

    private async Task Trim(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var keepFrom = Last - _capacity + 1;
        await using var command = new NpgsqlCommand("DELETE FROM twin_events WHERE seq < @from", connection);
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.Bigint) { Value = keepFrom });
        await command.ExecuteNonQueryAsync(cancellationToken);
        _oldest = keepFrom;
    }

    private static void Add<T>(NpgsqlBatchCommand command, string name, NpgsqlDbType type, IEnumerable<T> values) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | type) { Value = values.ToArray() });
}
