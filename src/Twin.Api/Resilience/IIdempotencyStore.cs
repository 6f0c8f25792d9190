namespace Twin.Api.Resilience;

/// <summary>
/// Where the answers to creates made with an <c>Idempotency-Key</c> are kept: process memory in embedded mode,
/// PostgreSQL (table <c>twin_idempotency</c>) in the cluster profile, so a retry on another silo finds them.
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>
    /// Claims <paramref name="key"/> for a request with <paramref name="fingerprint"/>: null when the caller now owns
    /// it and runs the request, else what is held for the key (a stored answer, or a claim still in progress).
    /// A claim older than <paramref name="abandonedAfter"/> without an answer (its silo died mid-request) is taken
    /// over by a request with the same fingerprint; a record older than <paramref name="lifetime"/> is forgotten.
    /// </summary>
    Task<IdempotencyRecord?> Claim(string key, string fingerprint, TimeSpan lifetime, TimeSpan abandonedAfter, CancellationToken cancellationToken);

    /// <summary>Stores the answer of the request that holds the claim.</summary>
    Task Complete(string key, StoredAnswer answer, CancellationToken cancellationToken);

    /// <summary>Gives up a claim without an answer (the request failed transiently): a retry runs it again.</summary>
    Task Release(string key, CancellationToken cancellationToken);
}
