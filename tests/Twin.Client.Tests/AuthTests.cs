using System.Net;
using Twin.Client.Views;
using Twin.Silo.Cli.Remote;

namespace Twin.Client.Tests;

/// <summary>A twin with API keys: the client sends the key, refusals are typed, and the CLI says what to do with its own exit code.</summary>
[Collection(SecuredTwinCollection.Name)]
public sealed class AuthTests(SecuredTwinFixture twin)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheClient_SendsItsKey_AndARefusalIsAnAuthFailure()
    {
        using var reader = twin.Client(SecuredTwinFixture.ReaderKey);
        Assert.Equal(3, (await reader.GetSitesAsync(Ct)).Count);

        using var anonymous = twin.Client();
        var missing = await Assert.ThrowsAsync<TwinApiException>(() => anonymous.GetSitesAsync(Ct));
        Assert.Equal((HttpStatusCode.Unauthorized, "API key required", true), (missing.Status, missing.Title, missing.IsAuthFailure));

        using var wrong = twin.Client("not-a-key");
        var unknown = await Assert.ThrowsAsync<TwinApiException>(() => wrong.GetSitesAsync(Ct));
        Assert.Equal((HttpStatusCode.Unauthorized, "Unknown API key"), (unknown.Status, unknown.Title));

        var forbidden = await Assert.ThrowsAsync<TwinApiException>(() =>
            reader.InjectFaultAsync(new FaultRequest("gpu-xid", "east/gpu/h0000-0", new Dictionary<string, string> { ["xid"] = "79" }), Ct));
        Assert.Equal((HttpStatusCode.Forbidden, true), (forbidden.Status, forbidden.IsAuthFailure));

        // the feed refuses the same way instead of reconnecting forever
        await Assert.ThrowsAsync<TwinApiException>(async () =>
        {
            await foreach (var _ in anonymous.StreamEventsAsync(cancellationToken: Ct))
            {
            }
        });
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-key")]
    public async Task TheCli_WithNoOrAnUnknownKey_ExitsThree_AndSaysHowToPassOne(string? key)
    {
        var result = await Cli.Run(["get", "sites", .. twin.Remote(key)]);
        Assert.Equal(ExitCodes.Auth, result.Code);
        Assert.Equal("401: no or unknown API key; pass --key or set TWIN_API_KEY", result.Error.Trim());
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task TheCli_WithAKeyThatLacksTheRole_ExitsThree_NamingTheRole()
    {
        var result = await Cli.Run(["fault", "inject", "gpu-xid", "east/gpu/h0000-0", "--param", "xid=79", .. twin.Remote(SecuredTwinFixture.ReaderKey)]);
        Assert.Equal(ExitCodes.Auth, result.Code);
        Assert.StartsWith("403:", result.Error);
        Assert.Contains("'operator'", result.Error);
    }

    [Fact]
    public async Task TheCli_WithTheRightKeys_Works()
    {
        var sites = await Cli.Run(["get", "sites", "-o", "json", .. twin.Remote(SecuredTwinFixture.ReaderKey)]);
        Assert.Equal(0, sites.Code);
        var inject = await Cli.Run(["fault", "inject", "gpu-xid", "east/gpu/h0007-7", "--param", "xid=79", .. twin.Remote(SecuredTwinFixture.OperatorKey)]);
        Assert.Equal(0, inject.Code);
        var id = inject.Out.Split(' ')[0];
        Assert.Equal(0, (await Cli.Run(["fault", "repair", id, .. twin.Remote(SecuredTwinFixture.OperatorKey)])).Code);
    }

    [Fact]
    public async Task TheCli_TakesUrlAndKey_FromTheEnvironment()
    {
        var url = Environment.GetEnvironmentVariable("TWIN_URL");
        var key = Environment.GetEnvironmentVariable("TWIN_API_KEY");
        try
        {
            // collections run one at a time here, so no other test sees these for the duration
            Environment.SetEnvironmentVariable("TWIN_URL", twin.BaseAddress.ToString());
            Environment.SetEnvironmentVariable("TWIN_API_KEY", SecuredTwinFixture.ReaderKey);
            var sites = await Cli.Run("get", "sites", "-o", "json");
            Assert.Equal(0, sites.Code);
            Assert.Equal(3, System.Text.Json.Nodes.JsonNode.Parse(sites.Out)!.AsArray().Count);
            // an explicit --key wins over the environment
            Assert.Equal(ExitCodes.Auth, (await Cli.Run("get", "sites", "--key", "not-a-key")).Code);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TWIN_URL", url);
            Environment.SetEnvironmentVariable("TWIN_API_KEY", key);
        }
    }
}
