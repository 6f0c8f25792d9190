namespace Twin.Contracts.Security;

/// <summary>What the source host's DPU decided about a flow, and why.</summary>
[GenerateSerializer, Immutable, Alias("twin.flow-decision")]
public sealed record FlowDecision(
    [property: Id(0)] bool Allowed,
    [property: Id(1)] string Reason,
    [property: Id(2)] string Dpu,
    [property: Id(3)] int? Rule,
    [property: Id(4)] bool ExfiltrationSuspected,
    [property: Id(5)] double EgressBytesInWindow,
    [property: Id(6)] string Source,
    [property: Id(7)] string Destination);
