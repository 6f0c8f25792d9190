namespace Twin.Contracts.Security;

/// <summary>A flow resolved to addresses and tenants, handed to the source host's DPU.</summary>
[GenerateSerializer, Immutable, Alias("twin.flow-spec")]
public sealed record FlowSpec(
    [property: Id(0)] string Protocol,
    [property: Id(1)] string SourceAddress,
    [property: Id(2)] int SourcePort,
    [property: Id(3)] string DestinationAddress,
    [property: Id(4)] int DestinationPort,
    [property: Id(5)] DateTimeOffset At,
    [property: Id(6)] double Bytes,
    [property: Id(7)] string? SourceTenant,
    [property: Id(8)] string? DestinationTenant,
    [property: Id(9)] bool Syn,
    [property: Id(10)] bool LeavesSite,
    [property: Id(11)] string SourceName,
    [property: Id(12)] string DestinationName);
