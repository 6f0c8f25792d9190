namespace Twin.Client;

/// <summary>Where the twin is, which key to present, and how hard to retry when it is busy.</summary>
public sealed class TwinClientOptions
{
    /// <summary>The twin's base address, e.g. <c>http://localhost:5000</c>.</summary>
    public Uri BaseAddress { get; set; } = new("http://localhost:5000");

    /// <summary>API key sent as <c>Authorization: Bearer</c>; null for a twin that runs open on loopback.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Other silos of the same cluster. A request that cannot connect, or is answered 503, is retried on the next
    /// address (and later requests stay there), so a client rides through a silo's crash or restart.
    /// </summary>
    public IList<Uri> FallbackAddresses { get; set; } = [];

    /// <summary>
    /// Retries after a 429, a 503, a 409 with <c>Retry-After</c> or a failed connection (so at most <c>MaxRetries + 1</c>
    /// attempts). Six, with the twin's 2 s <c>Retry-After</c>, outlast a killed silo's failover (~6–8 s).
    /// </summary>
    public int MaxRetries { get; set; } = 6;

    /// <summary>
    /// Creates (faults, jobs, inference services, forecasts, scenario runs) carry a fresh <c>Idempotency-Key</c>, so a
    /// retry after a lost answer gets the first answer instead of creating a second fault or job.
    /// </summary>
    public bool SendIdempotencyKeys { get; set; } = true;

    /// <summary>First back-off when the server gives no <c>Retry-After</c>; doubles each attempt.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Cap on any single wait, including a server's <c>Retry-After</c>.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Wait before an SSE feed reconnects after the connection drops (doubles up to <see cref="MaxBackoff"/>).</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Clock for back-off and reconnect waits; tests substitute one that records them.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Timeout of one ordinary request (SSE streams are not bound by it).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);
}
