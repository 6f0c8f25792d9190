using Twin.Model.Security;
using Twin.Model.Topology;
using YamlDotNet.RepresentationModel;

namespace Twin.Model.Scenarios;

/// <summary>
/// Reads a scenario's <c>security:</c> section — tenants, DPU policies, flows — with every error naming its line and
/// field, like the rest of the scenario file.
/// </summary>
internal static class ScenarioSecurityLoader
{
    public static ScenarioSecurity Read(YamlFields? s, TimeSpan duration)
    {
        if (s is null)
        {
            return ScenarioSecurity.None;
        }
        var tenants = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (s.Map("tenants", required: false) is { } t)
        {
            foreach (var (key, value) in t.Node.Children)
            {
                var name = ((YamlScalarNode)key).Value ?? "";
                if (value is YamlSequenceNode list && list.Children.All(c => c is YamlScalarNode { Value.Length: > 0 }))
                {
                    tenants[name] = [.. list.Children.Select(c => ((YamlScalarNode)c).Value!)];
                }
                else
                {
                    t.Error(value, t.Field(name), "must be a list of members (site/host/hNNNN or storage ids)");
                }
            }
        }
        var policies = s.List("policies", required: false).Select(ReadPolicy).ToList();
        var flows = s.List("flows", required: false).Select(f => ReadFlow(f, duration)).ToList();
        s.RejectUnknown();
        return new ScenarioSecurity(tenants, policies, flows);
    }

    private static ScenarioPolicy ReadPolicy(YamlFields p)
    {
        var dpu = p.String("dpu");
        var rules = new List<FirewallRule>();
        foreach (var r in p.List("rules", required: false))
        {
            var (rule, errors) = FirewallRuleText.Parse(r.String("action"), Optional(r, "protocol"), Optional(r, "source"), Optional(r, "destination"),
                Optional(r, "ports"), Optional(r, "sourceTenant"), Optional(r, "destinationTenant"), Optional(r, "name"));
            foreach (var (field, message) in errors)
            {
                r.Error(r.Find(field) ?? r.Node, r.Field(field), message);
            }
            rules.Add(rule);
            r.RejectUnknown();
        }
        var defaultAction = p.Find("defaultAction") is null ? "deny" : p.String("defaultAction");
        if (!FirewallRuleText.IsAction(defaultAction))
        {
            p.Error(p.Find("defaultAction")!, p.Field("defaultAction"), $"'{defaultAction}' is not allow or deny");
        }
        var policy = new DpuPolicy(
            new FirewallPolicy(rules, defaultAction == "allow"),
            p.Integer("conntrackCapacity", 65_536, 1, 100_000_000),
            TimeSpan.FromSeconds(p.Number("conntrackIdleSeconds", 300, 1e-3, 1e9)),
            p.Find("ratePerSecond") is null ? null : p.Number("ratePerSecond", null, 1e-9, 1e12),
            p.Number("burst", 100, 1, 1e12),
            p.Integer("maxHalfOpenPerSource", 256, 1, 100_000_000),
            p.Find("exfiltrationGB") is null ? null : p.Number("exfiltrationGB", null, 1e-9, 1e12) * 1e9,
            TimeSpan.FromMinutes(p.Number("exfiltrationWindowMinutes", 10, 1e-6, 1e9)),
            p.Boolean("blockExfiltration", true));
        p.RejectUnknown();
        return new ScenarioPolicy(dpu, policy);
    }

    private static ScheduledFlow ReadFlow(YamlFields f, TimeSpan duration)
    {
        var at = Offset(f, "at", TimeSpan.Zero);
        if (at > duration)
        {
            f.Error(f.Find("at")!, f.Field("at"), "is after the scenario ends");
        }
        var flow = new ScheduledFlow(
            at,
            f.String("source"),
            f.String("destination"),
            f.Find("protocol") is null ? FlowProtocol.Tcp : f.Enum<FlowProtocol>("protocol", FlowProtocol.Tcp),
            f.Integer("port", null, 0, 65535),
            f.Number("bytes", 0, 0, 1e18),
            f.Integer("count", 1, 1, 1_000_000),
            Offset(f, "every", TimeSpan.FromSeconds(1)),
            f.Boolean("syn", false),
            (int)f.Node.Start.Line);
        f.RejectUnknown();
        return flow;
    }

    private static TimeSpan Offset(YamlFields f, string key, TimeSpan fallback)
    {
        if (f.Find(key) is not { } node)
        {
            return fallback;
        }
        if (node is YamlScalarNode { Value: { } text } && Time.DurationText.TryParse(text, out var value) && value >= TimeSpan.Zero)
        {
            return value;
        }
        f.Error(node, f.Field(key), "must be a duration such as 90s, 15m or 6h");
        return fallback;
    }

    private static string? Optional(YamlFields f, string key) =>
        f.Find(key) is null ? null : f.String(key);
}
