using System.Globalization;
using System.Net;
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
    private static readonly IPAddress Internet = IPAddress.Parse("203.0.113.1"); // TEST-NET-3: a stand-in for off-factory

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
        var plan = new AddressPlan(topology);
        if (string.IsNullOrWhiteSpace(body.Source) || HostOf(body.Source, topology) is not { } source)
        {
            return Problems.Problems.BadRequest("source", $"'{body.Source}' is not a host of the factory: give a GPU, a DPU or site/host/hNNNN");
        }
        if (string.IsNullOrWhiteSpace(body.Destination))
        {
            return Problems.Problems.BadRequest("destination", "destination is required: a device id, an IP address or internet");
        }
        IPAddress destination;
        string? destinationMember = null;
        string destinationSite;
        if (body.Destination == "internet")
        {
            (destination, destinationSite) = (Internet, "");
        }
        else if (IPAddress.TryParse(body.Destination, out var address))
        {
            (destination, destinationSite) = (address, plan.SiteOf(address) ?? "");
        }
        else if ((HostOf(body.Destination, topology) ?? (topology.TryGet(body.Destination, out var d) && d.Kind == DeviceKind.Storage ? d : null)) is { } target
                 && plan.Of(target) is { } targetAddress)
        {
            (destination, destinationSite) = (targetAddress, target.Site);
            destinationMember = Member(target);
        }
        else
        {
            return Problems.Problems.BadRequest("destination", $"'{body.Destination}' is not a host, storage node, IP address or internet");
        }
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
        var members = new[] { Member(source), destinationMember }.OfType<string>().ToArray();
        var tenants = await Tenants(grains).TenantsOf(members);
        var spec = new FlowSpec(protocol, plan.Of(source)!.ToString(), body.SourcePort ?? 40000, destination.ToString(), body.Port.Value,
            body.At ?? time.GetUtcNow(), body.Bytes ?? 0, tenants.GetValueOrDefault(Member(source)),
            destinationMember is null ? null : tenants.GetValueOrDefault(destinationMember), body.Syn ?? false,
            destinationSite != source.Site, body.Source, body.Destination);
        var dpu = topology.Devices.First(d => d.Kind == DeviceKind.Dpu && d.Site == source.Site && d.Host == source.Host);
        return TypedResults.Ok(await grains.GetGrain<IDpuGrain>(dpu.Id).Decide(spec));
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

    // A GPU or DPU, or site/host/hNNNN: the host's DPU (it carries the host's address and enforces its policy).
    private static DeviceDescriptor? HostOf(string id, FactoryTopology topology)
    {
        if (topology.TryGet(id, out var device))
        {
            return device.Kind is DeviceKind.Gpu or DeviceKind.Dpu ? device : null;
        }
        var parts = id.Split('/');
        return parts is [var site, "host", var host] && topology.TryGet($"{site}/dpu/{host}", out var dpu) ? dpu : null;
    }

    private static string Member(DeviceDescriptor device) =>
        device.Kind == DeviceKind.Storage ? device.Id : string.Create(CultureInfo.InvariantCulture, $"{device.Site}/host/{device.Host}");
}

/// <summary>A DPU's policy, whether it is enforcing one, and rules that can never decide.</summary>
public sealed record PolicyView(string Dpu, DpuPolicyDefinition? Policy, bool Enforcing, IReadOnlyList<PolicyWarning> Warnings);

/// <summary>A rule shadowed by an earlier one.</summary>
public sealed record PolicyWarning(int Rule, int ShadowedBy, string Message);

/// <summary>A passed attestation: the host and the quarantines it lifted.</summary>
public sealed record AttestationView(string Host, string Status, IReadOnlyList<string> Repaired);
