using System.Net;

namespace Twin.Model.Security;

/// <summary>
/// A firewall rule as operators write it — over REST or in a scenario file — read into a <see cref="FirewallRule"/>,
/// with every bad field named (relative to the rule: <c>action</c>, <c>protocol</c>, <c>source</c>, <c>destination</c>, <c>ports</c>).
/// </summary>
public static class FirewallRuleText
{
    public static bool IsAction(string? text) => text is "allow" or "deny";

    public static (FirewallRule Rule, IReadOnlyList<(string Field, string Message)> Errors) Parse(
        string? action, string? protocol, string? source, string? destination, string? ports,
        string? sourceTenant = null, string? destinationTenant = null, string? name = null)
    {
        var errors = new List<(string, string)>();
        if (!IsAction(action))
        {
            errors.Add(("action", $"'{action}' is not allow or deny"));
        }
        var proto = FlowProtocol.Any;
        if (protocol is not null && !Enum.TryParse(protocol, ignoreCase: true, out proto))
        {
            errors.Add(("protocol", $"'{protocol}' is not tcp, udp, icmp or any"));
        }
        IPNetwork? Cidr(string? text, string field)
        {
            if (text is null)
            {
                return null;
            }
            if (IPNetwork.TryParse(text, out var network))
            {
                return network;
            }
            errors.Add((field, $"'{text}' is not a CIDR block such as 10.1.0.0/16"));
            return null;
        }
        var src = Cidr(source, "source");
        var dst = Cidr(destination, "destination");
        PortRange? range = null;
        if (ports is not null)
        {
            if (PortRange.TryParse(ports, out var r))
            {
                range = r;
            }
            else
            {
                errors.Add(("ports", $"'{ports}' is not a port or range such as 443 or 8000-8999 (0-65535)"));
            }
        }
        return (new FirewallRule(action == "allow", proto, src, dst, range, sourceTenant, destinationTenant, name), errors);
    }
}
