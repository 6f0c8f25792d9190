using Twin.Model.Outcomes;

namespace Twin.Contracts.Inference;

/// <summary>The answer to a deployment: the service, or why it was refused and the field at fault.</summary>
[GenerateSerializer, Immutable, Alias("twin.inference-outcome")]
public sealed record InferenceOutcome(
    [property: Id(0)] InferenceView? Service,
    [property: Id(1)] Refusal? Refused,
    [property: Id(2)] string? Field = null,
    [property: Id(3)] string? Error = null)
{
    public bool Succeeded => Refused is null;
}
