using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Twin.Api.Security;

namespace Twin.Api.Tests.Security;

/// <summary>Keys are kept as SHA-256 hashes and found by constant-time comparison; roles follow the convention.</summary>
public sealed class ApiKeyStoreTests
{
    private static ApiKeyStore Store(params ApiKeyOptions[] keys) => new(Options.Create(new AuthOptions { Keys = [.. keys] }));

    [Fact]
    public void AKeyGivenByItsSha256_IsFound_WithItsTenantAndRoles()
    {
        const string key = "tenant-key-0123456789abcdef";
        var sha = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var store = Store(new ApiKeyOptions { Key = "another-key-0123456789", Roles = ["admin"] },
            new ApiKeyOptions { Sha256 = sha, Roles = ["reader", "ingest"], Tenant = "acme" });

        Assert.True(store.TryFind(key, out var found));
        Assert.Equal("acme", found!.Tenant);
        Assert.Equal(["reader", "ingest"], found.Roles);
        Assert.Equal(sha[..12].ToLowerInvariant(), found.Id);
        Assert.False(store.TryFind(key + "x", out _));
        Assert.False(store.TryFind("", out _));
    }

    [Fact]
    public void TheStore_KeepsHashesOnly()
    {
        const string key = "plain-key-0123456789abcdef";
        var store = Store(new ApiKeyOptions { Key = key, Roles = ["reader"] });
        Assert.True(store.TryFind(key, out var found));
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(key)), found!.Hash);
        Assert.DoesNotContain(key, found.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_NamesEachBadEntry()
    {
        var problems = ApiKeyStore.Validate(new AuthOptions
        {
            Keys =
            [
                new ApiKeyOptions { Roles = ["reader"] },
                new ApiKeyOptions { Key = "short", Roles = ["reader"] },
                new ApiKeyOptions { Sha256 = "abc", Roles = ["reader"] },
                new ApiKeyOptions { Key = "long-enough-key-0123456789" },
            ],
        }).ToList();
        Assert.Contains(problems, p => p.StartsWith("Twin:Auth:Keys:0 needs exactly one of Key or Sha256", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Twin:Auth:Keys:1:Key is shorter than 16", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Twin:Auth:Keys:2:Sha256 must be 64 hex digits", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Twin:Auth:Keys:3:Roles is empty", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("long-enough-key", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("GET", "/api/v1/sites", "reader")]
    [InlineData("HEAD", "/api/v1/devices/east%2Fgpu%2Fh0001-0", "reader")]
    [InlineData("POST", "/api/v1/faults", "operator")]
    [InlineData("DELETE", "/api/v1/faults/f-000001", "operator")]
    [InlineData("POST", "/api/v1/jobs", "operator")]
    [InlineData("POST", "/api/v1/plans/fabric", "operator")]
    [InlineData("POST", "/api/v1/telemetry", "ingest")]
    [InlineData("POST", "/api/v1/telemetry/prometheus", "ingest")]
    [InlineData("POST", "/v1/metrics", "ingest")]
    [InlineData("POST", "/api/v1/write", "ingest")]
    [InlineData("GET", "/metrics", "reader")]
    [InlineData("GET", "/orleans/DashboardCounters", "reader")]
    [InlineData("POST", "/orleans/x", "admin")]
    [InlineData("GET", "/healthz", null)]
    [InlineData("GET", "/", null)]
    [InlineData("GET", "/app.js", null)]
    [InlineData("GET", "/openapi/v1.json", null)]
    [InlineData("GET", "/docs/", null)]
    public void TheRoleARequestNeeds_FollowsFromMethodAndPath(string method, string path, string? role) =>
        Assert.Equal(role, TwinRoles.Required(method, path));

    [Theory]
    [InlineData("admin", "ingest", true)]
    [InlineData("operator", "reader", true)]
    [InlineData("operator", "ingest", false)]
    [InlineData("ingest", "reader", false)]
    [InlineData("reader", "operator", false)]
    public void Grants_AdminEverything_OperatorAlsoReads_IngestOnlyIngests(string held, string needed, bool granted) =>
        Assert.Equal(granted, TwinRoles.Grants([held], needed));
}
