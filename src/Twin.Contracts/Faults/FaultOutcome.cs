namespace Twin.Contracts.Faults;

/// <summary>Result of an inject or repair: the fault, or the HTTP status, field and reason it was refused.</summary>
[GenerateSerializer, Immutable, Alias("twin.fault-outcome")]
public sealed record FaultOutcome(
    [property: Id(0)] FaultView? Fault,
    [property: Id(1)] int Status,
    [property: Id(2)] string? Field = null,
    [property: Id(3)] string? Error = null);
