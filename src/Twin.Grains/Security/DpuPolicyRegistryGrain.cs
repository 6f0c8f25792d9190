using Twin.Contracts.Security;
using Twin.Grains.Persistence;

namespace Twin.Grains.Security;

/// <summary>Every DPU policy set through the API, in grain storage <c>twin</c> (PostgreSQL in the cluster profile).</summary>
public sealed class DpuPolicyRegistryGrain([PersistentState("dpu-policies", TwinStorage.Name)] IPersistentState<DpuPolicyState> state)
    : Grain, IDpuPolicyRegistryGrain
{
    public async Task Set(string dpuId, DpuPolicyDefinition policy)
    {
        state.State.Policies[dpuId] = policy;
        await state.WriteStateAsync();
    }

    public ValueTask<DpuPolicyDefinition?> For(string dpuId) => ValueTask.FromResult(state.State.Policies.GetValueOrDefault(dpuId));
}

/// <summary>The DPU policies, by DPU id, as stored.</summary>
[GenerateSerializer, Alias("twin.dpu-policy-state")]
public sealed class DpuPolicyState
{
    [Id(0)] public Dictionary<string, DpuPolicyDefinition> Policies { get; set; } = new(StringComparer.Ordinal);
}
