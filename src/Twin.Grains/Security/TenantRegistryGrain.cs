using Twin.Contracts.Security;
using Twin.Grains.Persistence;

namespace Twin.Grains.Security;

/// <summary>Tenants and their members (host keys <c>site/hNNNN</c>, storage node ids), kept across restarts.</summary>
public sealed class TenantRegistryGrain([PersistentState("tenants", TwinStorage.Name)] IPersistentState<TenantState> state) : Grain, ITenantRegistryGrain
{
    public async Task Set(string tenant, string[] members)
    {
        foreach (var other in state.State.Members.Keys.Where(t => t != tenant).ToList())
        {
            state.State.Members[other] = [.. state.State.Members[other].Except(members, StringComparer.Ordinal)];
        }
        state.State.Members[tenant] = [.. members.Distinct(StringComparer.Ordinal)];
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyDictionary<string, string[]>> All() =>
        Task.FromResult<IReadOnlyDictionary<string, string[]>>(new Dictionary<string, string[]>(state.State.Members));

    public Task<IReadOnlyDictionary<string, string>> TenantsOf(string[] members)
    {
        var wanted = members.ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (tenant, list) in state.State.Members)
        {
            foreach (var member in list.Where(wanted.Contains))
            {
                found[member] = tenant;
            }
        }
        return Task.FromResult<IReadOnlyDictionary<string, string>>(found);
    }
}

/// <summary>The tenants' members, as stored.</summary>
[GenerateSerializer, Alias("twin.tenant-state")]
public sealed class TenantState
{
    [Id(0)] public Dictionary<string, string[]> Members { get; set; } = new(StringComparer.Ordinal);
}
