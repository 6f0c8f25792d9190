namespace Twin.Api.Security;

/// <summary>
/// <c>Twin:Auth</c>: the API keys this twin accepts. With none, the twin runs open, and only on loopback
/// (see <see cref="LoopbackGuard"/>).
/// </summary>
public sealed class AuthOptions
{
    /// <summary>Accepted keys; bind from <c>Twin__Auth__Keys__0__Key</c>, <c>Twin__Auth__Keys__0__Roles__0</c>, …</summary>
    public List<ApiKeyOptions> Keys { get; set; } = [];
}

/// <summary>One accepted API key: the key itself or its SHA-256, the roles it grants and the caller's tenant.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>The key as clients send it. Hashed at load; only the hash is kept.</summary>
    public string? Key { get; set; }

    /// <summary>Lower- or upper-case hex SHA-256 of the key's UTF-8 bytes, so the key itself need not be in configuration.</summary>
    public string? Sha256 { get; set; }

    /// <summary>A label for logs and metrics (never the key); defaults to the first 12 hex digits of the key's hash.</summary>
    public string? Name { get; set; }

    /// <summary><c>reader</c>, <c>operator</c>, <c>ingest</c>, <c>admin</c>.</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>The caller's tenant, exposed as the <c>twin:tenant</c> claim (no isolation yet).</summary>
    public string? Tenant { get; set; }
}
