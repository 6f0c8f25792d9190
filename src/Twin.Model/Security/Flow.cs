using System.Net;

namespace Twin.Model.Security;

/// <summary>Transport protocol of a flow or a rule (<c>Any</c> matches every protocol in a rule).</summary>
public enum FlowProtocol : byte
{
    Any,
    Tcp,
    Udp,
    Icmp,
}

/// <summary>
/// One flow as the source host's DPU sees it: the 5-tuple, the tenants at both ends (when the addresses belong to
/// the factory), its size, whether it opens a TCP connection (SYN) or continues one, and its event time.
/// </summary>
public sealed record Flow(
    FlowProtocol Protocol,
    IPAddress Source,
    int SourcePort,
    IPAddress Destination,
    int DestinationPort,
    DateTimeOffset At,
    double Bytes = 0,
    string? SourceTenant = null,
    string? DestinationTenant = null,
    bool Syn = false,
    bool LeavesSite = false)
{
    public (FlowProtocol, IPAddress, int, IPAddress, int) Key => (Protocol, Source, SourcePort, Destination, DestinationPort);
}
