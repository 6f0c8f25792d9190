namespace Twin.Contracts.Faults;

/// <summary>A request to inject a fault (the body of <c>POST /api/v1/faults</c>, and what scenarios send).</summary>
[GenerateSerializer, Immutable, Alias("twin.inject-fault")]
public sealed record InjectFault(
    [property: Id(0)] string Kind,
    [property: Id(1)] string Target,
    [property: Id(2)] IReadOnlyDictionary<string, string>? Parameters = null,
    [property: Id(3)] DateTimeOffset? At = null,
    [property: Id(4)] TimeSpan? Duration = null,
    [property: Id(5)] string Source = "api");
