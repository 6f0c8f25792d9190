namespace Twin.Contracts.Jobs;

/// <summary>Result of a job request: the job, or the HTTP status, field and reason it was refused.</summary>
[GenerateSerializer, Immutable, Alias("twin.job-outcome")]
public sealed record JobOutcome(
    [property: Id(0)] JobView? Job,
    [property: Id(1)] int Status,
    [property: Id(2)] string? Field = null,
    [property: Id(3)] string? Error = null);
