using System.Net;

namespace Twin.Model.Security;

/// <summary>
/// One ordered rule of a DPU's firewall: allow or deny flows matching protocol, source and destination networks (CIDR),
/// destination ports and tenants; null matches anything.
/// </summary>
public sealed record FirewallRule(
    bool Allow,
    FlowProtocol Protocol = FlowProtocol.Any,
    IPNetwork? Source = null,
    IPNetwork? Destination = null,
    PortRange? Ports = null,
    string? SourceTenant = null,
    string? DestinationTenant = null,
    string? Name = null)
{
    public bool Matches(Flow flow) =>
        (Protocol == FlowProtocol.Any || Protocol == flow.Protocol) &&
        (Source is not { } src || src.Contains(flow.Source)) &&
        (Destination is not { } dst || dst.Contains(flow.Destination)) &&
        (Ports is not { } ports || ports.Contains(flow.DestinationPort)) &&
        (SourceTenant is null || SourceTenant == flow.SourceTenant) &&
        (DestinationTenant is null || DestinationTenant == flow.DestinationTenant);

    /// <summary>True when every flow this rule matches, <paramref name="earlier"/> matches too: this rule never decides.</summary>
    public bool IsShadowedBy(FirewallRule earlier) =>
        (earlier.Protocol == FlowProtocol.Any || earlier.Protocol == Protocol) &&
        Within(Source, earlier.Source) && Within(Destination, earlier.Destination) &&
        (earlier.Ports ?? PortRange.All).Covers(Ports ?? PortRange.All) &&
        (earlier.SourceTenant is null || earlier.SourceTenant == SourceTenant) &&
        (earlier.DestinationTenant is null || earlier.DestinationTenant == DestinationTenant);

    // is `inner` (null: everything) inside `outer` (null: everything)?
    private static bool Within(IPNetwork? inner, IPNetwork? outer) => outer switch
    {
        null => true,
        { } o when inner is { } i => i.BaseAddress.AddressFamily == o.BaseAddress.AddressFamily && i.PrefixLength >= o.PrefixLength && o.Contains(i.BaseAddress),
        _ => false,
    };
}
