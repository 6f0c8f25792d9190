using Twin.Model.Outcomes;

namespace Twin.Contracts.Faults;

/// <summary>Result of an inject or repair: the fault, or why it was refused and the field at fault.</summary>
[GenerateSerializer, Immutable, Alias("twin.fault-outcome")]
public sealed record FaultOutcome(
    [property: Id(0)] FaultView? Fault,
    [property: Id(1)] Refusal? Refused,
    [property: Id(2)] string? Field = null,
    [property: Id(3)] string? Error = null)
{
    public bool Succeeded => Refused is null;
}
