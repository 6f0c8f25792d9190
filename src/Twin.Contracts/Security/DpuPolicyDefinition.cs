using Twin.Model.Security;

namespace Twin.Contracts.Security;

/// <summary>
/// A DPU's policy as operators write it (<c>PUT /api/v1/devices/{dpu}/policy</c>): ordered rules in text (CIDR,
/// port ranges), the default action, and the limits. <see cref="ToModel"/> checks every field and names the bad ones.
/// </summary>
[GenerateSerializer, Immutable, Alias("twin.dpu-policy")]
public sealed record DpuPolicyDefinition
{
    [Id(0)] public IReadOnlyList<DpuRuleDefinition> Rules { get; init; } = [];
    /// <summary><c>deny</c> (zero trust, the default) or <c>allow</c>.</summary>
    [Id(1)] public string DefaultAction { get; init; } = "deny";
    [Id(2)] public int ConntrackCapacity { get; init; } = 65_536;
    [Id(3)] public double ConntrackIdleSeconds { get; init; } = 300;
    /// <summary>New flows a second per source; none when null.</summary>
    [Id(4)] public double? RatePerSecond { get; init; }
    [Id(5)] public double Burst { get; init; } = 100;
    [Id(6)] public int MaxHalfOpenPerSource { get; init; } = 256;
    /// <summary>Egress off-site or to another tenant within the window that raises an alert, GB; none when null.</summary>
    [Id(7)] public double? ExfiltrationGB { get; init; }
    [Id(8)] public double ExfiltrationWindowMinutes { get; init; } = 10;
    [Id(9)] public bool BlockExfiltration { get; init; } = true;

    /// <summary>The text form of a policy built in code (a scenario's), for a DPU grain.</summary>
    public static DpuPolicyDefinition From(DpuPolicy policy) => new()
    {
        Rules = [.. policy.Firewall.Rules.Select(r => new DpuRuleDefinition(r.Allow ? "allow" : "deny",
            r.Protocol == FlowProtocol.Any ? null : r.Protocol.ToString().ToLowerInvariant(), r.Source?.ToString(), r.Destination?.ToString(),
            r.Ports?.ToString(), r.SourceTenant, r.DestinationTenant, r.Name))],
        DefaultAction = policy.Firewall.DefaultAllow ? "allow" : "deny",
        ConntrackCapacity = policy.ConntrackCapacity,
        ConntrackIdleSeconds = policy.Idle.TotalSeconds,
        RatePerSecond = policy.RatePerSecond,
        Burst = policy.Burst,
        MaxHalfOpenPerSource = policy.MaxHalfOpenPerSource,
        ExfiltrationGB = policy.ExfiltrationBytes / 1e9,
        ExfiltrationWindowMinutes = policy.Window.TotalMinutes,
        BlockExfiltration = policy.BlockExfiltration,
    };

    public (DpuPolicy? Policy, IReadOnlyList<(string Field, string Message)> Errors) ToModel()
    {
        var errors = new List<(string, string)>();
        var rules = new List<FirewallRule>();
        for (var i = 0; i < Rules.Count; i++)
        {
            var r = Rules[i];
            var (rule, ruleErrors) = FirewallRuleText.Parse(r.Action, r.Protocol, r.Source, r.Destination, r.Ports, r.SourceTenant, r.DestinationTenant, r.Name);
            errors.AddRange(ruleErrors.Select(e => ($"rules[{i}].{e.Field}", e.Message)));
            rules.Add(rule);
        }
        if (!FirewallRuleText.IsAction(DefaultAction))
        {
            errors.Add(("defaultAction", $"'{DefaultAction}' is not allow or deny"));
        }
        if (ConntrackCapacity < 1)
        {
            errors.Add(("conntrackCapacity", "must be ≥ 1"));
        }
        if (!(ConntrackIdleSeconds > 0))
        {
            errors.Add(("conntrackIdleSeconds", "must be > 0"));
        }
        if (RatePerSecond is { } rate && !(rate > 0 && double.IsFinite(rate)))
        {
            errors.Add(("ratePerSecond", "must be a positive number"));
        }
        if (!(Burst >= 1))
        {
            errors.Add(("burst", "must be ≥ 1"));
        }
        if (MaxHalfOpenPerSource < 1)
        {
            errors.Add(("maxHalfOpenPerSource", "must be ≥ 1"));
        }
        if (ExfiltrationGB is { } gb && !(gb > 0 && double.IsFinite(gb)))
        {
            errors.Add(("exfiltrationGB", "must be a positive number of GB"));
        }
        if (!(ExfiltrationWindowMinutes > 0))
        {
            errors.Add(("exfiltrationWindowMinutes", "must be > 0"));
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        return (new DpuPolicy(new FirewallPolicy(rules, DefaultAction == "allow"), ConntrackCapacity, TimeSpan.FromSeconds(ConntrackIdleSeconds),
            RatePerSecond, Burst, MaxHalfOpenPerSource, ExfiltrationGB * 1e9, TimeSpan.FromMinutes(ExfiltrationWindowMinutes), BlockExfiltration), errors);
    }
}

/// <summary>One rule in text: action, protocol, source and destination CIDR, destination ports, tenants, a name.</summary>
[GenerateSerializer, Immutable, Alias("twin.dpu-rule")]
public sealed record DpuRuleDefinition(
    [property: Id(0)] string Action,
    [property: Id(1)] string? Protocol = null,
    [property: Id(2)] string? Source = null,
    [property: Id(3)] string? Destination = null,
    [property: Id(4)] string? Ports = null,
    [property: Id(5)] string? SourceTenant = null,
    [property: Id(6)] string? DestinationTenant = null,
    [property: Id(7)] string? Name = null);
