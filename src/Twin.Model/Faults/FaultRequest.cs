namespace Twin.Model.Faults;

/// <summary>
/// A fault to inject: kind, target, kind-specific parameters (numbers or ids, as invariant-culture text),
/// event time and optional duration after which it repairs itself.
/// </summary>
public sealed record FaultRequest(
    string Kind,
    string Target,
    IReadOnlyDictionary<string, string>? Parameters = null,
    DateTimeOffset? At = null,
    TimeSpan? Duration = null);
