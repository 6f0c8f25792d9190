using Orleans.Concurrency;

namespace Twin.Contracts.Security;

/// <summary>
/// The DPU policies operators set (key <c>factory</c>), kept across restarts: a DPU grain that (re)activates after
/// its silo died or the cluster restarted asks for its policy here, so a policy is never lost with a silo.
/// </summary>
[Alias("twin.dpu-policy-registry")]
public interface IDpuPolicyRegistryGrain : IGrainWithStringKey
{
    /// <summary>Stores a DPU's policy (replacing the one it had).</summary>
    Task Set(string dpuId, DpuPolicyDefinition policy);

    /// <summary>A DPU's stored policy, null when none was set. Interleaves: a DPU asks while activating.</summary>
    [AlwaysInterleave, ReadOnly]
    ValueTask<DpuPolicyDefinition?> For(string dpuId);
}
