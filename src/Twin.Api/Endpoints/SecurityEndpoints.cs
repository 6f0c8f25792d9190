using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Twin.Api.Views;
using Twin.Contracts.Devices;
using Twin.Contracts.Faults;
using Twin.Contracts.Security;
using Twin.Contracts.Streams;
using Twin.Model.Devices;
using Twin.Model.Security;
using Twin.Model.Topology;

namespace Twin.Api.Endpoints;

/// <summary>
/// The modelled factory's security: DPU policies (<c>/api/v1/devices/{dpu}/policy</c>), flows decided by the source
/// host's DPU (<c>/api/v1/flows</c>), tenants (<c>/api/v1/tenants</c>) and attestation (<c>/api/v1/devices/{id}/attestation</c>).
/// </summary>
public static class SecurityEndpoints
{
    public static IEndpointRouteBuilder MapSecurity(this IEndpointRouteBuilder app)
    {
        var devices = app.MapGroup("/api/v1/devices").WithTags("security");
        devices.MapPut("/{id}/policy", SetPolicy).WithSummary("Set a DPU's policy: ordered rules (CIDR, ports, tenants), limits; answers with rules other rules shadow.");
        devices.MapGet("/{id}/policy", GetPolicy).WithSummary("A DPU's policy (null while none was set: it then passes everything).");
        devices.MapPost("/{id}/attestation", Attest).WithSummary("A host's attestation: failed or missing quarantines it (its GPUs leave the pool), passed lifts that.");
        var api = app.MapGroup("/api/v1").WithTags("security");
        api.MapPost("/flows", Decide).WithSummary("Decide a flow at the source host's DPU; denied and suspect flows are security events.");
        api.MapPut("/tenants/{name}", SetTenant).WithSummary("Set a tenant's hosts (site/host/hNNNN) and storage nodes.");
        api.MapGet("/tenants", async (IGrainFactory grains) => TypedResults.Ok(await Tenants(grains).All())).WithSummary("Every tenant and its members.");
        return app;
    }

    private static ITenantRegistryGrain Tenants(IGrainFactory grains) => grains.GetGrain<ITenantRegistryGrain>(TwinStreams.FactoryKey);

    private static (DeviceDescriptor? Dpu, ProblemHttpResult? Problem) Dpu(string id, FactoryTopology topology)
    {
        var deviceId = Uri.UnescapeDataString(id);
        if (!topology.TryGet(deviceId, out var device))
        {
            return (null, Problems.Problems.NotFound("device", deviceId));
        }
        return device.Kind == DeviceKind.Dpu ? (device, null) : (null, Problems.Problems.BadRequest("id", $"{deviceId} is a {device.Kind.Name()}; policies are set on DPUs (site/dpu/hNNNN)"));
    }

    private static async Task<Results<Ok<PolicyView>, ProblemHttpResult>> SetPolicy(string id, DpuPolicyDefinition body, IGrainFactory grains, FactoryTopology topology)
    {
        var (dpu, problem) = Dpu(id, topology);
        if (dpu is null)
        {
            return problem!;
        }
        var (model, errors) = body.ToModel();
        if (model is null)
        {
            return Problems.Problems.BadRequest(errors[0].Field, string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")));
        }
        await grains.GetGrain<IDpuGrain>(dpu.Id).SetPolicy(body);
        var warnings = model.Firewall.Shadowed()
            .Select(s => new PolicyWarning(s.Rule, s.ShadowedBy, $"rules[{s.Rule}] never decides: rules[{s.ShadowedBy}] matches every flow it would"))
            .ToList();
        return TypedResults.Ok(new PolicyView(dpu.Id, body, true, warnings));
    }

    private static async Task<Results<Ok<PolicyView>, ProblemHttpResult>> GetPolicy(string id, IGrainFactory grains, FactoryTopology topology)
    {
        var (dpu, problem) = Dpu(id, topology);
        if (dpu is null)
        {
            return problem!;
        }
        var policy = await grains.GetGrain<IDpuGrain>(dpu.Id).GetPolicy();
        return TypedResults.Ok(new PolicyView(dpu.Id, policy, policy is not null, []));
    }

    private static async Task<Results<Ok<FlowDecision>, ProblemHttpResult>> Decide(FlowRequestBody body, IGrainFactory grains, FactoryTopology topology, TimeProvider time)
    {
        var protocol = body.Protocol ?? "tcp";
        if (protocol is not ("tcp" or "udp" or "icmp"))
        {
            return Problems.Problems.BadRequest("protocol", $"'{protocol}' is not tcp, udp or icmp");
        }
        if (body.Port is not (>= 0 and <= 65535) || body.SourcePort is not (null or (>= 0 and <= 65535)))
        {
            return Problems.Problems.BadRequest(body.Port is (>= 0 and <= 65535) ? "sourcePort" : "port", "a port is 0-65535");
        }
        if (body.Bytes is < 0 || body.Bytes is { } b && !double.IsFinite(b))
        {
            return Problems.Problems.BadRequest("bytes", "bytes must be a number ≥ 0");
        }
        var tenants = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (tenant, members) in await Tenants(grains).All())
        {
            foreach (var member in members)
            {
                tenants[member] = tenant;
            }
        }
        var (flow, dpu, field, error) = new FlowEndpoints(topology, tenants).Resolve(body.Source ?? "", body.Destination ?? "",
            Enum.Parse<FlowProtocol>(protocol, ignoreCase: true), body.Port.Value, body.SourcePort ?? 40000, body.Bytes ?? 0, body.Syn ?? false,
            body.At ?? time.GetUtcNow());
        if (flow is null)
        {
            return Problems.Problems.BadRequest(field!, error!);
        }
        var spec = new FlowSpec(protocol, flow.Source.ToString(), flow.SourcePort, flow.Destination.ToString(), flow.DestinationPort, flow.At,
            flow.Bytes, flow.SourceTenant, flow.DestinationTenant, flow.Syn, flow.LeavesSite, body.Source!, body.Destination!);
        return TypedResults.Ok(await grains.GetGrain<IDpuGrain>(dpu!).Decide(spec));
    }

    private static async Task<Results<Ok<Dictionary<string, string[]>>, ProblemHttpResult>> SetTenant(string name, TenantBody body, IGrainFactory grains, FactoryTopology topology)
    {
        var members = body.Members ?? [];
        for (var i = 0; i < members.Length; i++)
        {
            var isHost = HostOf(members[i], topology) is { } host && Member(host) == members[i];
            var isStorage = topology.TryGet(members[i], out var d) && d.Kind == DeviceKind.Storage;
            if (!isHost && !isStorage)
            {
                return Problems.Problems.BadRequest($"members[{i}]", $"'{members[i]}' is neither a host (site/host/hNNNN) nor a storage node");
            }
        }
        await Tenants(grains).Set(name, members);
        return TypedResults.Ok(new Dictionary<string, string[]>(await Tenants(grains).All()));
    }

    private static async Task<Results<Ok<FaultView>, Ok<AttestationView>, ProblemHttpResult>> Attest(string id, AttestationBody body, IGrainFactory grains, FactoryTopology topology)
    {
        if (HostOf(Uri.UnescapeDataString(id), topology) is not { } host)
        {
            return Problems.Problems.NotFound("host", Uri.UnescapeDataString(id));
        }
        if (body.Status is not ("passed" or "failed" or "missing"))
        {
            return Problems.Problems.BadRequest("status", $"'{body.Status}' is not passed, failed or missing");
        }
        var registry = grains.GetGrain<IFaultRegistryGrain>(TwinStreams.FactoryKey);
        var hostKey = Member(host);
        var open = (await registry.List(true, host.Site, "attestation-failed")).Where(f => f.Target == hostKey).ToList();
        if (body.Status == "passed")
        {
            foreach (var fault in open)
            {
                await registry.Repair(fault.Id, body.At);
            }
            return TypedResults.Ok(new AttestationView(hostKey, "passed", [.. open.Select(f => f.Id)]));
        }
        if (open.Count > 0)
        {
            return TypedResults.Ok(open[0]);
        }
        var outcome = await registry.Inject(new InjectFault("attestation-failed", hostKey, new Dictionary<string, string> { ["status"] = body.Status }, body.At));
        return outcome.Fault is { } injected ? TypedResults.Ok(injected) : Problems.Problems.BadRequest(outcome.Field ?? "id", outcome.Error ?? "cannot quarantine");
    }

    private static DeviceDescriptor? HostOf(string id, FactoryTopology topology) => FlowEndpoints.HostOf(topology, id);

    private static string Member(DeviceDescriptor device) => FlowEndpoints.MemberOf(device)!;
}

/// <summary>A DPU's policy, whether it is enforcing one, and rules that can never decide.</summary>
public sealed record PolicyView(string Dpu, DpuPolicyDefinition? Policy, bool Enforcing, IReadOnlyList<PolicyWarning> Warnings);

/// <summary>A rule shadowed by an earlier one.</summary>
public sealed record PolicyWarning(int Rule, int ShadowedBy, string Message);

/// <summary>A passed attestation: the host and the quarantines it lifted.</summary>
public sealed record AttestationView(string Host, string Status, IReadOnlyList<string> Repaired);
