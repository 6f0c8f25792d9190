using Twin.Model.Security;

namespace Twin.Model.Scenarios;

/// <summary>
/// A scenario's security set-up and traffic: tenants (member keys <c>site/host/hNNNN</c> or storage ids), DPU
/// policies, and flows sent at scheduled times (<see cref="ScheduledFlow.Count"/> of them, one every <see cref="ScheduledFlow.Every"/>).
/// </summary>
public sealed record ScenarioSecurity(
    IReadOnlyDictionary<string, IReadOnlyList<string>> Tenants,
    IReadOnlyList<ScenarioPolicy> Policies,
    IReadOnlyList<ScheduledFlow> Flows)
{
    public static readonly ScenarioSecurity None = new(new Dictionary<string, IReadOnlyList<string>>(), [], []);

    /// <summary>The tenant of each member key.</summary>
    public IReadOnlyDictionary<string, string> TenantOfMember() =>
        Tenants.SelectMany(t => t.Value.Select(m => (Member: m, Tenant: t.Key))).ToDictionary(p => p.Member, p => p.Tenant, StringComparer.Ordinal);
}

/// <summary>The policy a DPU enforces during the scenario.</summary>
public sealed record ScenarioPolicy(string Dpu, DpuPolicy Policy);

/// <summary>Flows from a host to a device, address or <c>internet</c>: the first at <see cref="At"/>, then every <see cref="Every"/>.</summary>
public sealed record ScheduledFlow(
    TimeSpan At,
    string Source,
    string Destination,
    FlowProtocol Protocol,
    int Port,
    double Bytes,
    int Count,
    TimeSpan Every,
    bool Syn,
    int Line);

/// <summary>What a scenario's flows met: how many passed or were blocked, cross-tenant flows let through, exfiltration alarms.</summary>
public sealed record SecurityResult(int Flows, int Allowed, int Blocked, int CrossTenantAllowed, int ExfiltrationDetected, double? DetectionDelaySeconds)
{
    public static readonly SecurityResult Empty = new(0, 0, 0, 0, 0, null);
}
