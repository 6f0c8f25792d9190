using System.Security.Claims;

namespace Twin.Api.Security;

/// <summary>Claims an API key puts on the caller, and helpers to read them.</summary>
public static class TwinClaims
{
    /// <summary>The tenant configured with the key; for the tenant-isolation work to come.</summary>
    public const string Tenant = "twin:tenant";

    /// <summary>A short, non-secret id of the key (a prefix of its SHA-256); partitions rate limits.</summary>
    public const string KeyId = "twin:key-id";

    public static string? TenantOf(this ClaimsPrincipal user) => user.FindFirst(Tenant)?.Value;

    public static string? KeyIdOf(this ClaimsPrincipal user) => user.FindFirst(KeyId)?.Value;
}
