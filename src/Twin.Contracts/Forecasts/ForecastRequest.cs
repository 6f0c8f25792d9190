namespace Twin.Contracts.Forecasts;

/// <summary>A what-if from now: how far to look, the faults to suppose (offsets from now), the seed, random failures on or off.</summary>
[GenerateSerializer, Immutable, Alias("twin.forecast-request")]
public sealed record ForecastRequest(
    [property: Id(0)] TimeSpan Horizon,
    [property: Id(1)] SupposedFault[] Faults,
    [property: Id(2)] int Seed,
    [property: Id(3)] bool RandomFailures,
    [property: Id(4)] double? Speed);

/// <summary>A fault to suppose: kind, target, parameters, when (from now) and for how long (to the horizon when null).</summary>
[GenerateSerializer, Immutable, Alias("twin.supposed-fault")]
public sealed record SupposedFault(
    [property: Id(0)] string Kind,
    [property: Id(1)] string Target,
    [property: Id(2)] TimeSpan At,
    [property: Id(3)] Dictionary<string, string> Parameters,
    [property: Id(4)] TimeSpan? Duration);
