using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using Twin.Contracts.Devices;
using Twin.Contracts.Events;
using Twin.Contracts.Security;
using Twin.Contracts.Streams;
using Twin.Model.Devices;
using Twin.Model.Health;
using Twin.Model.Security;
using Twin.Model.Topology;

namespace Twin.Grains.Devices;

/// <summary>
/// A host's DPU: mirrors its telemetry like every device and enforces its host's policy in the data path — the
/// ordered firewall, connection tracking, per-source rate limits, SYN-flood protection and exfiltration detection.
/// A denied or suspect flow is a security event. A failed or quarantined DPU passes nothing. Its policy is kept in
/// the <see cref="IDpuPolicyRegistryGrain"/>, so it survives the DPU's silo.
/// </summary>
[PreferLocalPlacement]
public sealed class DpuGrain(FactoryTopology topology, IOptionsMonitor<HealthThresholds> thresholds, IOptions<HistoryOptions> history)
    : DeviceGrain(topology, thresholds, history), IDpuGrain
{
    private DpuPolicyDefinition? _definition;
    private DpuFirewall? _firewall;

    // the policy survives this grain: stored first, applied after, and asked for again on every activation
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        if (await Policies.For(Device.Id) is { } stored)
        {
            Apply(stored);
        }
    }

    public async Task SetPolicy(DpuPolicyDefinition policy)
    {
        Apply(policy, validateOnly: true);
        await Policies.Set(Device.Id, policy);
        Apply(policy);
    }

    private IDpuPolicyRegistryGrain Policies => GrainFactory.GetGrain<IDpuPolicyRegistryGrain>(TwinStreams.FactoryKey);

    private void Apply(DpuPolicyDefinition policy, bool validateOnly = false)
    {
        var (model, errors) = policy.ToModel();
        if (model is null)
        {
            throw new ArgumentException(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")), nameof(policy));
        }
        if (!validateOnly)
        {
            _definition = policy;
            _firewall = new DpuFirewall(model);
        }
    }

    public Task<DpuPolicyDefinition?> GetPolicy() => Task.FromResult(_definition);

    public async Task<FlowDecision> Decide(FlowSpec flow)
    {
        FlowVerdict verdict;
        if (Health.OutOfPool())
        {
            verdict = new FlowVerdict(false, $"DPU {Health.Name()}: the host has no front-end network");
        }
        else if (_firewall is null)
        {
            verdict = new FlowVerdict(true, "no policy on this DPU: everything passes (set one with PUT /api/v1/devices/{dpu}/policy)");
        }
        else
        {
            verdict = _firewall.Decide(new Flow(Enum.Parse<FlowProtocol>(flow.Protocol, ignoreCase: true), IPAddress.Parse(flow.SourceAddress), flow.SourcePort,
                IPAddress.Parse(flow.DestinationAddress), flow.DestinationPort, flow.At, flow.Bytes, flow.SourceTenant, flow.DestinationTenant, flow.Syn, flow.LeavesSite));
        }
        var decision = new FlowDecision(verdict.Allowed, verdict.Reason, Device.Id, verdict.Rule, verdict.ExfiltrationSuspected,
            verdict.EgressBytesInWindow, flow.SourceName, flow.DestinationName);
        if (!verdict.Allowed || verdict.ExfiltrationSuspected)
        {
            var kind = verdict.ExfiltrationSuspected ? "exfiltration-suspected" : "security-violation";
            var tenants = flow.SourceTenant is null && flow.DestinationTenant is null ? "" : $" (tenant {flow.SourceTenant ?? "none"} → {flow.DestinationTenant ?? "none"})";
            await GrainFactory.GetGrain<IEventLogGrain>(TwinStreams.FactoryKey).Append([new TwinEvent
            {
                Id = string.Create(CultureInfo.InvariantCulture, $"{Device.Id}:{kind}:{flow.At.UtcTicks}:{flow.SourcePort}:{flow.DestinationName}"),
                Time = flow.At,
                Kind = kind,
                Site = Device.Site,
                DeviceId = Device.Id,
                DeviceKind = DeviceKind.Dpu,
                Summary = $"{flow.Protocol} {flow.SourceName} → {flow.DestinationName}:{flow.DestinationPort}{tenants}: {(verdict.Allowed ? "allowed, " : "blocked, ")}{verdict.Reason}",
            }]);
        }
        return decision;
    }
}
