namespace Twin.Contracts.Security;

/// <summary>Which hosts and storage nodes belong to which tenant (key <c>factory</c>).</summary>
[Alias("twin.tenant-registry")]
public interface ITenantRegistryGrain : IGrainWithStringKey
{
    /// <summary>Sets a tenant's members (host keys <c>site/hNNNN</c> and storage ids); a member of another tenant moves.</summary>
    Task Set(string tenant, string[] members);

    Task<IReadOnlyDictionary<string, string[]>> All();

    /// <summary>The tenant of each member key asked for (absent when it has none).</summary>
    Task<IReadOnlyDictionary<string, string>> TenantsOf(string[] members);
}
