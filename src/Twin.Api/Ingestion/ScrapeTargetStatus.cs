namespace Twin.Api.Ingestion;

/// <summary>Health of one scrape target as <c>GET /api/v1/telemetry/scrape-targets</c> shows it.</summary>
public sealed record ScrapeTargetStatus(
    string Name,
    string Url,
    TimeSpan Interval,
    string Health,
    DateTimeOffset? LastScrape,
    double? LastDurationMs,
    string? LastError,
    long Scrapes,
    long Failures,
    long LastAccepted,
    long LastRejected);
