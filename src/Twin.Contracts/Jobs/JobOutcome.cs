using Twin.Model.Outcomes;

namespace Twin.Contracts.Jobs;

/// <summary>Result of a job request: the job, or why it was refused and the field at fault.</summary>
[GenerateSerializer, Immutable, Alias("twin.job-outcome")]
public sealed record JobOutcome(
    [property: Id(0)] JobView? Job,
    [property: Id(1)] Refusal? Refused,
    [property: Id(2)] string? Field = null,
    [property: Id(3)] string? Error = null)
{
    public bool Succeeded => Refused is null;
}
