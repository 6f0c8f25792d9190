namespace Twin.Api.Resilience;

/// <summary>The embedded twin's idempotency keys: one process, so a dictionary under a lock is the whole story.</summary>
public sealed class MemoryIdempotencyStore(TimeProvider time) : IIdempotencyStore
{
    private readonly Dictionary<string, (IdempotencyRecord Record, DateTimeOffset Expires)> _records = new(StringComparer.Ordinal);
    private DateTimeOffset _nextSweep;

    public Task<IdempotencyRecord?> Claim(string key, string fingerprint, TimeSpan lifetime, TimeSpan abandonedAfter, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_records)
        {
            Sweep(now, lifetime);
            if (_records.TryGetValue(key, out var held) && held.Expires > now
                && !(held.Record.Answer is null && held.Record.Fingerprint == fingerprint && now - held.Record.ClaimedAt > abandonedAfter))
            {
                return Task.FromResult<IdempotencyRecord?>(held.Record);
            }
            _records[key] = (new IdempotencyRecord(fingerprint, null, now), now + lifetime);
            return Task.FromResult<IdempotencyRecord?>(null);
        }
    }

    public Task Complete(string key, StoredAnswer answer, CancellationToken cancellationToken)
    {
        lock (_records)
        {
            if (_records.TryGetValue(key, out var held))
            {
                _records[key] = (held.Record with { Answer = answer }, held.Expires);
            }
        }
        return Task.CompletedTask;
    }

    public Task Release(string key, CancellationToken cancellationToken)
    {
        lock (_records)
        {
            if (_records.TryGetValue(key, out var held) && held.Record.Answer is null)
            {
                _records.Remove(key);
            }
        }
        return Task.CompletedTask;
    }

    // expired records go in one pass every tenth of their lifetime, not on every claim
    private void Sweep(DateTimeOffset now, TimeSpan lifetime)
    {
        if (now < _nextSweep)
        {
            return;
        }
        foreach (var key in _records.Where(r => r.Value.Expires <= now).Select(r => r.Key).ToList())
        {
            _records.Remove(key);
        }
        _nextSweep = now + lifetime / 10;
    }
}
