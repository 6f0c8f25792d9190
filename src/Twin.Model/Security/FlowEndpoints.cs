using System.Net;
using Twin.Model.Devices;
using Twin.Model.Topology;

namespace Twin.Model.Security;

/// <summary>
/// Turns the names a flow is given — a GPU, a DPU, <c>site/host/hNNNN</c>, a storage node, an address, or
/// <c>internet</c> — into addresses, sites, tenants and the DPU that decides it (the source host's).
/// </summary>
public sealed class FlowEndpoints(FactoryTopology topology, IReadOnlyDictionary<string, string> tenantOfMember)
{
    /// <summary>A stand-in for any address outside the factory (TEST-NET-3).</summary>
    public static readonly IPAddress Internet = IPAddress.Parse("203.0.113.1");

    private readonly AddressPlan _plan = new(topology);

    /// <summary>The host's DPU for a GPU, a DPU or <c>site/host/hNNNN</c>; null for anything else.</summary>
    public DeviceDescriptor? HostOf(string name) => HostOf(topology, name);

    /// <inheritdoc cref="HostOf(string)"/>
    public static DeviceDescriptor? HostOf(FactoryTopology topology, string name)
    {
        if (topology.TryGet(name, out var device))
        {
            return device.Kind is DeviceKind.Gpu or DeviceKind.Dpu && device.Host is { } host && topology.TryGet($"{device.Site}/dpu/{host}", out var dpu) ? dpu : null;
        }
        return name.Split('/') is [var site, "host", var h] && topology.TryGet($"{site}/dpu/{h}", out var d) ? d : null;
    }

    /// <summary>A tenant's member key: <c>site/host/hNNNN</c> for a host's devices, the id of a storage node.</summary>
    public static string? MemberOf(DeviceDescriptor device) => device.Kind switch
    {
        DeviceKind.Gpu or DeviceKind.Dpu when device.Host is { } host => $"{device.Site}/host/{host}",
        DeviceKind.Storage => device.Id,
        _ => null,
    };

    /// <summary>The flow as the source host's DPU sees it, or why it cannot be built (field, message).</summary>
    public (Flow? Flow, string? Dpu, string? Field, string? Error) Resolve(
        string source, string destination, FlowProtocol protocol, int port, int sourcePort, double bytes, bool syn, DateTimeOffset at)
    {
        if (HostOf(source) is not { } from)
        {
            return (null, null, "source", $"'{source}' is not a host of the factory: give a GPU, a DPU or site/host/hNNNN");
        }
        IPAddress to;
        string? toSite;
        string? toTenant = null;
        if (destination == "internet")
        {
            (to, toSite) = (Internet, null);
        }
        else if (IPAddress.TryParse(destination, out var address))
        {
            (to, toSite) = (address, _plan.SiteOf(address));
        }
        else if ((HostOf(destination) ?? (topology.TryGet(destination, out var d) && d.Kind == DeviceKind.Storage ? d : null)) is { } target
                 && _plan.Of(target) is { } targetAddress)
        {
            (to, toSite) = (targetAddress, target.Site);
            toTenant = MemberOf(target) is { } m ? tenantOfMember.GetValueOrDefault(m) : null;
        }
        else
        {
            return (null, null, "destination", $"'{destination}' is not a host, storage node, IP address or internet");
        }
        var flow = new Flow(protocol, _plan.Of(from)!, sourcePort, to, port, at, bytes,
            MemberOf(from) is { } fm ? tenantOfMember.GetValueOrDefault(fm) : null, toTenant, syn, toSite != from.Site);
        return (flow, from.Id, null, null);
    }
}
