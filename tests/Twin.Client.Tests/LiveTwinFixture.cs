using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Twin.Client;
using Twin.Model.Topology;
using Twin.Silo.Hosting;
using Twin.Tests.Shared;

namespace Twin.Client.Tests;

/// <summary>
/// A real twin (the host <c>dotnet run</c> builds) on a free loopback port with the demo topology and no synthetic
/// telemetry, optionally with API keys; the client and the CLI talk to it over real HTTP.
/// </summary>
public abstract class LiveTwinFixture(params string[] extra) : IAsyncLifetime
{
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    public FactoryTopology Topology => _app!.Services.GetRequiredService<FactoryTopology>();

    public async ValueTask InitializeAsync()
    {
        _app = TwinHost.Build(TwinHost.LoopbackArgs(RepoPaths.File("scenarios/topologies/demo.yaml"), extra));
        await _app.StartAsync();
        BaseAddress = _app.BoundAddress();
    }

    public TwinClient Client(string? key = null) => TwinClient.Create(new TwinClientOptions { BaseAddress = BaseAddress, ApiKey = key });

    /// <summary>The connection arguments for a CLI verb.</summary>
    public string[] Remote(string? key = null) => key is null ? ["--url", BaseAddress.ToString()] : ["--url", BaseAddress.ToString(), "--key", key];

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

/// <summary>The open twin (no keys: loopback only).</summary>
public sealed class OpenTwinFixture() : LiveTwinFixture;

[CollectionDefinition(Name)]
public sealed class OpenTwinCollection : ICollectionFixture<OpenTwinFixture>
{
    public const string Name = "open-twin";
}

/// <summary>A twin that accepts two keys: a reader's and an operator's.</summary>
public sealed class SecuredTwinFixture() : LiveTwinFixture(
    "--Twin:Auth:Keys:0:Key=" + ReaderKey, "--Twin:Auth:Keys:0:Roles:0=reader",
    "--Twin:Auth:Keys:1:Key=" + OperatorKey, "--Twin:Auth:Keys:1:Roles:0=operator")
{
    public const string ReaderKey = "cli-reader-key-5e0a91";
    public const string OperatorKey = "cli-operator-key-77c2d4";
}

[CollectionDefinition(Name)]
public sealed class SecuredTwinCollection : ICollectionFixture<SecuredTwinFixture>
{
    public const string Name = "secured-twin";
}
