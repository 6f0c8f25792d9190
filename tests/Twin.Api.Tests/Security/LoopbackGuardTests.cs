using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Twin.Api.Security;
using Twin.Silo.Hosting;

namespace Twin.Api.Tests.Security;

/// <summary>Open only on loopback; anywhere else, no keys means no start.</summary>
public sealed class LoopbackGuardTests
{
    [Fact]
    public async Task BoundToEveryInterface_WithoutKeys_RefusesToStart_SayingHowToAddAKey()
    {
        var port = TwinAppFixture.FreePort();
        await using var app = TwinHost.Build([.. TwinTestHost.BaseArgs($"http://0.0.0.0:{port}")]);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains($"http://0.0.0.0:{port}", e.Message, StringComparison.Ordinal);
        Assert.Contains("no API keys are configured", e.Message, StringComparison.Ordinal);
        Assert.Contains("Twin__Auth__Keys__0__Key=", e.Message, StringComparison.Ordinal);
        Assert.Contains("Twin__Auth__Keys__0__Roles__0=admin", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BoundToEveryInterface_WithAKey_PassesTheCheck()
    {
        // the rule alone, without binding a public socket in a test
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://0.0.0.0:5000" }).Build();
        var keys = new ApiKeyStore(Options.Create(new AuthOptions { Keys = [new ApiKeyOptions { Key = "some-long-admin-key-123", Roles = ["admin"] }] }));
        var guard = new LoopbackGuard(keys, configuration, new NoServer(), NullLogger<LoopbackGuard>.Instance);
        await guard.StartingAsync(TestContext.Current.CancellationToken);

        var open = new LoopbackGuard(new ApiKeyStore(Options.Create(new AuthOptions())), configuration, new NoServer(), NullLogger<LoopbackGuard>.Instance);
        await Assert.ThrowsAsync<InvalidOperationException>(() => open.StartingAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WithKeys_OnLoopback_StartsAndServes()
    {
        await using var host = await TwinTestHost.Start(["--Twin:Auth:Keys:0:Key=some-long-admin-key-123", "--Twin:Auth:Keys:0:Roles:0=admin"]);
        using var response = await host.Http.GetAsync("/healthz", TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode);
    }

    [Fact]
    public async Task AKeyWithAnUnknownRole_FailsAtStart_NamingTheEntry_NotTheKey()
    {
        var app = TwinHost.Build([.. TwinTestHost.BaseArgs(), "--Twin:Auth:Keys:0:Key=secret-value-abcdefgh", "--Twin:Auth:Keys:0:Roles:0=superuser"]);
        await using (app)
        {
            var e = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync(TestContext.Current.CancellationToken));
            Assert.Contains("Twin:Auth:Keys:0:Roles has 'superuser'", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("secret-value-abcdefgh", e.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://127.0.0.1:0", true)]
    [InlineData("https://127.8.9.10:443", true)]
    [InlineData("http://[::1]:5000", true)]
    [InlineData("http://0.0.0.0:5000", false)]
    [InlineData("http://[::]:5000", false)]
    [InlineData("http://*:8080", false)]
    [InlineData("http://+:8080", false)]
    [InlineData("http://twin.example:80", false)]
    [InlineData("http://10.0.0.5:5000", false)]
    public void LoopbackUrls_AreLocalhost_127Slash8_AndIpv6Loopback(string url, bool loopback) =>
        Assert.Equal(loopback, LoopbackGuard.IsLoopbackUrl(url));

    [Theory]
    [InlineData(null, null, null, "http://localhost:5000")]
    [InlineData("http://127.0.0.1:5080;http://0.0.0.0:5081", null, null, "http://127.0.0.1:5080|http://0.0.0.0:5081")]
    [InlineData(null, "8080", null, "http://*:8080")]
    [InlineData("http://localhost:1", "8080", "http://0.0.0.0:9000", "http://0.0.0.0:9000")]
    public void ConfiguredAddresses_FollowKestrelsPrecedence(string? urls, string? httpPorts, string? kestrelEndpoint, string expected)
    {
        var settings = new Dictionary<string, string?> { ["urls"] = urls, ["http_ports"] = httpPorts, ["Kestrel:Endpoints:Http:Url"] = kestrelEndpoint };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Where(kv => kv.Value is not null)).Build();
        Assert.Equal(expected.Split('|'), LoopbackGuard.ConfiguredAddresses(configuration));
    }

    private sealed class NoServer : IServer
    {
        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
