using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;
using Twin.Silo.Hosting;
using static Microsoft.Playwright.Assertions;

namespace Twin.Browser.Tests;

/// <summary>
/// The dashboard against a twin that requires API keys: the page asks for one, sends it with every request
/// and on the live feed (read with fetch, since EventSource cannot send headers), and never puts it in a URL.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class KeyedDashboardTests(DashboardFixture twin)
{
    private const string ReaderKey = "dashboard-test-reader-4f1c9a";
    private const string OperatorKey = "dashboard-test-operator-8b27e3";

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ATwinWithKeys_AsksForOne_ThenShowsTheFactory_AndItsLiveFeedCarriesAFault()
    {
        Assert.SkipUnless(DashboardFixture.ChromiumPresent, DashboardFixture.SkipReason);
        await using var app = TwinHost.Build(TwinHost.LoopbackArgs(DashboardFixture.RepoFile("scenarios/topologies/demo.yaml"),
            $"--Twin:Auth:Keys:0:Key={ReaderKey}", "--Twin:Auth:Keys:0:Roles:0=reader",
            $"--Twin:Auth:Keys:1:Key={OperatorKey}", "--Twin:Auth:Keys:1:Roles:0=operator"));
        await app.StartAsync(Ct);
        var address = app.BoundAddress();

        await using var context = await twin.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1360, Height = 1000 } });
        var page = await context.NewPageAsync();
        var urls = new List<string>();
        page.Request += (_, request) => urls.Add(request.Url);
        await page.GotoAsync(new Uri(address, "/#/events").ToString());

        var dialog = page.Locator("dialog.key-dialog");
        await Expect(dialog).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await dialog.Locator("input[name=key]").FillAsync(ReaderKey);
        await dialog.Locator("button.primary").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);

        await Expect(page.Locator("#event-list")).ToBeAttachedAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator("#live-status")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 15_000 });

        using var http = new HttpClient { BaseAddress = address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorKey);
        const string id = "east/gpu/h0007-3";
        using var injected = await http.PostAsJsonAsync("/api/v1/faults",
            new { kind = "gpu-xid", target = id, parameters = new Dictionary<string, string> { ["xid"] = "79" } }, Ct);
        Assert.Equal(HttpStatusCode.Created, injected.StatusCode);
        await Expect(page.Locator($"#event-list li[data-device='{id}']").First).ToBeVisibleAsync(new() { Timeout = 5_000 });

        // the reader key reaches the factory page too, and the key was never part of an address
        await page.GotoAsync(new Uri(address, "/#/").ToString());
        await Expect(page.Locator("tr[data-site]")).ToHaveCountAsync(3, new() { Timeout = 15_000 });
        Assert.DoesNotContain(urls, u => u.Contains(ReaderKey, StringComparison.Ordinal));
        await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardFixture.ArtifactsDirectory, "keyed-factory.png") });
        await app.StopAsync(Ct);
    }
}
