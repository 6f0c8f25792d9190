namespace Twin.Contracts.Inference;

/// <summary>The answer to a deployment: the service (201), or the status and the field at fault (400/409).</summary>
[GenerateSerializer, Immutable, Alias("twin.inference-outcome")]
public sealed record InferenceOutcome(
    [property: Id(0)] InferenceView? Service,
    [property: Id(1)] int Status,
    [property: Id(2)] string? Field = null,
    [property: Id(3)] string? Error = null);
