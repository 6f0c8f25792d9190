namespace Twin.Api.Resilience;

/// <summary><c>Twin:Resilience</c>: how the twin answers while the cluster or its storage is failing over, and how it stops.</summary>
public sealed class ResilienceOptions
{
    /// <summary><c>Retry-After</c> on a 503 for a transient cluster or storage failure.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Wait before a read (GET) that hit a transient failure is tried once more inside the silo; 0 turns the retry
    /// off. A killed silo's grains move after ~6 s (README "Failure detection"), a leaving silo's at once.
    /// </summary>
    public TimeSpan ReadRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a create's answer is kept for its <c>Idempotency-Key</c>.</summary>
    public TimeSpan IdempotencyKeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>On SIGTERM: how long the silo waits for requests in flight before it leaves the cluster anyway.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
