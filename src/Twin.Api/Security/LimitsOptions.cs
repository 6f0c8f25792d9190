namespace Twin.Api.Security;

/// <summary><c>Twin:Limits</c>: body size and time limits applied by convention to every endpoint.</summary>
public sealed class LimitsOptions
{
    /// <summary>Body limit for endpoints that do not declare their own (JSON commands: faults, jobs, plans…). Telemetry uses Twin:Ingest:MaxBodyBytes.</summary>
    public long MaxJsonBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Time a request may take before it is cancelled and answered 504; streaming responses (SSE) are exempt.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// <c>Twin:RateLimit</c>: a token bucket per API key (partitioned by the key's hash id). Requests without a key
/// (open loopback mode, or open paths such as /healthz) are not limited.
/// </summary>
public sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Burst size: requests a key may make at once.</summary>
    public int TokenLimit { get; set; } = 200;

    /// <summary>Tokens added every <see cref="ReplenishmentPeriod"/> (sustained rate).</summary>
    public int TokensPerPeriod { get; set; } = 100;

    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);
}
