using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Twin.Model.Topology;
using Twin.Silo.Hosting;

namespace Twin.Browser.Tests;

/// <summary>
/// The real twin (the builder <c>dotnet run</c> uses) on loopback with synthetic telemetry off, and one
/// headless Debian Chromium driven by Playwright. Without Chromium nothing starts and every test skips.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium; Playwright cannot download browsers here, so it drives this one.</summary>
    public static string ChromiumPath { get; } = Environment.GetEnvironmentVariable("TWIN_CHROMIUM") ?? "/usr/bin/chromium";

    public static bool ChromiumPresent => File.Exists(ChromiumPath);

    public static string SkipReason => $"Chromium is not installed at {ChromiumPath} (apt-get install chromium; .ci/run installs it)";

    private WebApplication? _app;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public IGrainFactory Grains => _app!.Services.GetRequiredService<IGrainFactory>();

    public FactoryTopology Topology => _app!.Services.GetRequiredService<FactoryTopology>();

    /// <summary>Where screenshots go: <c>artifacts/</c> under the test output directory.</summary>
    public static string ArtifactsDirectory { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;

    public static string RepoFile(string relative) => Twin.Tests.Shared.RepoPaths.File(relative);

    public async ValueTask InitializeAsync()
    {
        if (!ChromiumPresent)
        {
            return;
        }
        _app = TwinHost.Build(TwinHost.LoopbackArgs(RepoFile("scenarios/topologies/demo.yaml")));
        await _app.StartAsync();
        BaseAddress = _app.BoundAddress();
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh browser context and page on the dashboard, recording console errors; skips without Chromium.</summary>
    public async Task<DashboardPage> OpenAsync(string hash = "#/")
    {
        Assert.SkipUnless(ChromiumPresent, SkipReason);
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1360, Height = 1000 }, BaseURL = BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        var session = new DashboardPage(context, page);
        await page.GotoAsync(new Uri(BaseAddress, "/" + hash).ToString());
        return session;
    }

    public async ValueTask DisposeAsync()
    {
        if (_playwright is not null)
        {
            await Browser.DisposeAsync();
            _playwright.Dispose();
        }
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
