namespace Twin.Client.Views;

/// <summary>Body of <c>POST /api/v1/forecasts</c>: horizon (<c>6h</c>), supposed faults, seed, random failures, speed.</summary>
public sealed record ForecastRequest(
    string Horizon,
    IReadOnlyList<ForecastFault>? Faults = null,
    int? Seed = null,
    bool? Failures = null,
    double? Speed = null);

/// <summary>A fault to suppose; <c>At</c> is an offset from now (<c>10m</c>) or an ISO time ahead.</summary>
public sealed record ForecastFault(
    string Kind,
    string Target,
    string? At = null,
    IReadOnlyDictionary<string, string>? Parameters = null,
    string? Duration = null);
