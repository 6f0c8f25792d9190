using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Twin.Api.Security;

/// <summary>
/// The accepted keys as SHA-256 hashes only: a key read from configuration is hashed at load and the
/// text dropped. Lookups hash what the caller sent and compare in constant time against every entry, so
/// neither timing nor which entry matched leaks anything.
/// </summary>
public sealed class ApiKeyStore
{
    private readonly ApiKeyIdentity[] _keys;

    public ApiKeyStore(IOptions<AuthOptions> options)
    {
        _keys = options.Value.Keys.Select(Load).ToArray();
    }

    /// <summary>No keys configured: the twin runs open (only allowed on loopback).</summary>
    public bool IsOpen => _keys.Length == 0;

    public int Count => _keys.Length;

    public bool TryFind(ReadOnlySpan<char> presented, out ApiKeyIdentity? identity)
    {
        identity = null;
        if (presented.IsEmpty || presented.Length > 1024)
        {
            return false;
        }
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(presented.Length)];
        var length = Encoding.UTF8.GetBytes(presented, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);
        CryptographicOperations.ZeroMemory(utf8);
        foreach (var key in _keys)
        {
            // no early exit: every entry is compared whatever matched
            if (CryptographicOperations.FixedTimeEquals(hash, key.Hash))
            {
                identity = key;
            }
        }
        return identity is not null;
    }

    /// <summary>Problems with the configured keys, each naming the entry; empty when valid. Never includes a key.</summary>
    public static IEnumerable<string> Validate(AuthOptions options)
    {
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var k = options.Keys[i];
            var at = $"Twin:Auth:Keys:{i}";
            if (string.IsNullOrEmpty(k.Key) == string.IsNullOrEmpty(k.Sha256))
            {
                yield return $"{at} needs exactly one of Key or Sha256";
            }
            else if (k.Key is { Length: < 16 })
            {
                yield return $"{at}:Key is shorter than 16 characters; use a random secret (e.g. openssl rand -hex 32)";
            }
            else if (k.Sha256 is { } h && (h.Length != 64 || !h.All(char.IsAsciiHexDigit)))
            {
                yield return $"{at}:Sha256 must be 64 hex digits";
            }
            if (k.Roles.Count == 0)
            {
                yield return $"{at}:Roles is empty; give one or more of {string.Join(", ", TwinRoles.All)}";
            }
            foreach (var role in k.Roles.Where(r => !TwinRoles.All.Contains(r)))
            {
                yield return $"{at}:Roles has '{role}', not one of {string.Join(", ", TwinRoles.All)}";
            }
        }
    }

    private static ApiKeyIdentity Load(ApiKeyOptions options)
    {
        var hash = options.Key is { Length: > 0 } key
            ? SHA256.HashData(Encoding.UTF8.GetBytes(key))
            : Convert.FromHexString(options.Sha256!);
        var id = Convert.ToHexStringLower(hash)[..12];
        return new ApiKeyIdentity(hash, id, options.Name ?? $"key-{id}", [.. options.Roles], options.Tenant);
    }
}

/// <summary>A known key: its hash (never the key), a short id, a label, roles and tenant.</summary>
public sealed record ApiKeyIdentity(byte[] Hash, string Id, string Name, IReadOnlyList<string> Roles, string? Tenant);
