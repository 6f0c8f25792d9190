namespace Twin.Client.Views;

/// <summary>Body of <c>POST /api/v1/faults</c>: kind, target, kind-specific parameters, optional start and lifetime (<c>90s</c>, <c>15m</c>).</summary>
public sealed record FaultRequest(string Kind, string Target, IReadOnlyDictionary<string, string>? Parameters = null,
    DateTimeOffset? At = null, string? Duration = null);
