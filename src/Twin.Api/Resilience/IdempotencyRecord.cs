namespace Twin.Api.Resilience;

/// <summary>What is held for an idempotency key: the request's fingerprint, its answer once there, and when it was claimed.</summary>
public sealed record IdempotencyRecord(string Fingerprint, StoredAnswer? Answer, DateTimeOffset ClaimedAt);
