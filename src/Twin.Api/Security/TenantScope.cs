using System.Security.Claims;
using Twin.Contracts.Events;
using Twin.Contracts.Security;
using Twin.Contracts.Streams;
using Twin.Model.Security;
using Twin.Model.Topology;

namespace Twin.Api.Security;

/// <summary>
/// What a tenant-scoped API key may see: its tenant's hosts (their GPUs and DPU) and storage nodes, the events of
/// those devices, and jobs placed only on them. Anything else answers as if it did not exist (404, filtered out of
/// lists), so a key cannot even learn what another tenant has. A key without a tenant sees everything.
/// </summary>
public sealed class TenantScope(IGrainFactory grains, FactoryTopology topology)
{
    /// <summary>Null when the caller is not tenant-scoped; else whether a device is the tenant's.</summary>
    public async Task<Func<DeviceDescriptor, bool>?> Devices(ClaimsPrincipal user)
    {
        if (user.TenantOf() is not { } tenant)
        {
            return null;
        }
        var members = (await grains.GetGrain<ITenantRegistryGrain>(TwinStreams.FactoryKey).All()).GetValueOrDefault(tenant) ?? [];
        var set = members.ToHashSet(StringComparer.Ordinal);
        return d => FlowEndpoints.MemberOf(d) is { } m && set.Contains(m);
    }

    /// <summary>Null when unscoped; else whether an event concerns one of the tenant's devices.</summary>
    public async Task<Func<TwinEvent, bool>?> Events(ClaimsPrincipal user) =>
        await Devices(user) is { } visible
            ? e => e.DeviceId is { } id && topology.Find(id) is { } d && visible(d)
            : null;

    /// <summary>Null when unscoped; else whether every GPU of a placement is the tenant's.</summary>
    public async Task<Func<IEnumerable<string>, bool>?> Placements(ClaimsPrincipal user) =>
        await Devices(user) is { } visible
            ? gpus => gpus.All(g => topology.Find(g) is { } d && visible(d))
            : null;
}
