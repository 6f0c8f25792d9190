using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Twin.Contracts.Devices;
using Twin.Contracts.Telemetry;
using Twin.Model.Telemetry;
using static Microsoft.Playwright.Assertions;

namespace Twin.Browser.Tests;

/// <summary>The dashboard in headless Chromium against the real twin, through its public REST API only.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardTests(DashboardFixture twin)
{
    // demo.yaml: east 64 hosts × 8 GPUs, west 48 × 8, north 72 GB200 trays × 4 (NVL72: 18 trays a domain)
    private const int EastGpus = 64 * 8;
    private const int WestGpus = 48 * 8;
    private const int NorthGpus = 72 * 4;

    private static readonly LocatorAssertionsToHaveCountOptions Soon = new() { Timeout = 15_000 };

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Waits until the event feed has been tried and no REST call is in flight (the page counts them on
    /// html[data-busy]; Playwright's network-idle never comes while the SSE stream is open).
    /// </summary>
    private static async Task WaitUntilSettled(IPage page)
    {
        await Expect(page.Locator("#live-status")).Not.ToHaveAttributeAsync("data-state", "connecting", new() { Timeout = 15_000 });
        for (var quiet = 0; quiet < 3;)
        {
            await page.WaitForTimeoutAsync(150);
            quiet = await page.Locator("html").GetAttributeAsync("data-busy") is null or "0" ? quiet + 1 : 0;
        }
    }

    [Fact]
    public async Task FactoryPage_Loads_WithoutConsoleErrors()
    {
        await using var dash = await twin.OpenAsync();
        await Expect(dash.Page.Locator("tr[data-site]")).ToHaveCountAsync(3, Soon);
        await WaitUntilSettled(dash.Page);

        Assert.Empty(dash.Errors);
        await Expect(dash.Page).ToHaveTitleAsync(new Regex("Factory"));
    }

    [Fact]
    public async Task FactoryPage_ShowsThreeSites_WithTheGpuTotalsOfTheTopology()
    {
        await using var dash = await twin.OpenAsync();
        var page = dash.Page;
        await Expect(page.Locator("tr[data-site]")).ToHaveCountAsync(3, Soon);

        await Expect(page.Locator("a.site-node")).ToHaveCountAsync(3);
        await Expect(page.Locator("tr[data-site='east'] td[data-metric='gpus']")).ToHaveTextAsync($"{EastGpus:N0}");
        await Expect(page.Locator("tr[data-site='west'] td[data-metric='gpus']")).ToHaveTextAsync($"{WestGpus:N0}");
        await Expect(page.Locator("tr[data-site='north'] td[data-metric='gpus']")).ToHaveTextAsync($"{NorthGpus:N0}");
        await Expect(page.Locator("[data-metric='gpus-total'] .v")).ToHaveTextAsync($"{EastGpus + WestGpus + NorthGpus:N0}");
        // three site pairs, each drawn with its DCI links (4 + 2 + 2 in demo.yaml)
        await Expect(page.Locator("line.dci")).ToHaveCountAsync(8);
        await dash.ScreenshotAsync("factory");
    }

    [Fact]
    public async Task ClickingASite_OpensItsHeatmap_WithEveryGpuByHostAndNvlinkDomain()
    {
        await using var dash = await twin.OpenAsync();
        var page = dash.Page;
        await page.Locator("a.site-node[data-site='north']").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("#/site/north$"));
        await Expect(page.Locator("#gpu-heatmap")).ToBeVisibleAsync();
        await Expect(page.Locator("main [role='status']").First).ToContainTextAsync($"{NorthGpus} GPUs on 72 hosts, 18 hosts per NVLink domain", new() { Timeout = 15_000 });
        await Expect(page.Locator("table[aria-label='fabric tiers'] tbody tr")).Not.ToHaveCountAsync(0);
        await Expect(page.Locator("table[aria-label='storage nodes'] tbody tr")).ToHaveCountAsync(4, Soon);

        var box = await page.Locator("#gpu-heatmap").BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.Width > 200 && box.Height > 50, $"heatmap is {box.Width}×{box.Height}");
        await WaitUntilSettled(page);
        await dash.ScreenshotAsync("site-north");
        Assert.Empty(dash.Errors);
    }

    [Fact]
    public async Task HeatmapKeyboard_EnterOpensTheFocusedGpu_WithItsMirroredState()
    {
        Assert.SkipUnless(DashboardFixture.ChromiumPresent, DashboardFixture.SkipReason);
        const string id = "east/gpu/h0000-0";
        await twin.Grains.GetGrain<IGpuGrain>(id).ApplyTelemetry(new DeviceTelemetry(id, DateTimeOffset.UtcNow,
            [new MetricValue(Metric.TemperatureC, 61), new MetricValue(Metric.PowerW, 640), new MetricValue(Metric.Utilization, 0.9)]));
        await using var dash = await twin.OpenAsync("#/site/east");
        var page = dash.Page;
        await Expect(page.Locator("main [role='status']").First).ToContainTextAsync($"{EastGpus} GPUs on 64 hosts", new() { Timeout = 15_000 });

        await page.Locator("#gpu-heatmap").FocusAsync();
        await Expect(page.Locator("#heat-focus")).ToContainTextAsync(id);
        await page.Keyboard.PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(new Regex("#/device/east%2Fgpu%2Fh0000-0$"));
        await Expect(page.Locator("#device-health .badge")).ToHaveAttributeAsync("data-health", "healthy");
        await Expect(page.Locator("tr[data-metric='temperature_c'] td.num")).ToHaveTextAsync("61", new() { Timeout = 10_000 });
        await Expect(page.Locator("dl.attrs dt", new() { HasText = "uuid" })).ToHaveCountAsync(1);
        await dash.ScreenshotAsync("device");
        Assert.Empty(dash.Errors);
    }

    [Fact]
    public async Task GpuFailingFromTelemetry_TurnsRedOnItsDevicePage_WithinTwoSeconds()
    {
        const string id = "west/gpu/h0040-5";
        await using var dash = await twin.OpenAsync($"#/device/{Uri.EscapeDataString(id)}");
        var badge = dash.Page.Locator("#device-health .badge");
        await Expect(badge).ToHaveAttributeAsync("data-health", "healthy", new() { Timeout = 15_000 });

        // XID 79: the GPU fell off the bus, which fails it
        await twin.Grains.GetGrain<IGpuGrain>(id).ApplyTelemetry(new DeviceTelemetry(id, DateTimeOffset.UtcNow, [new MetricValue(Metric.Xid, 79)]));

        await Expect(badge).ToHaveAttributeAsync("data-health", "failed", new() { Timeout = 2_000 });
        await Expect(badge).ToHaveCSSAsync("background-color", "rgb(213, 94, 0)"); // Okabe–Ito vermillion
        await Expect(badge).ToHaveTextAsync("failed"); // the word, not only the colour
    }

    [Fact]
    public async Task FaultInjectedOverRest_AppearsInTheEventFeed_AndTurnsTheDeviceRed_WithinTwoSeconds()
    {
        await SkipUnlessServed("/api/v1/faults?active=true");
        await SkipUnlessServed("/api/v1/events?limit=1");
        const string id = "north/gpu/h0050-2";
        await using var events = await twin.OpenAsync("#/events");
        await using var device = await twin.OpenAsync($"#/device/{Uri.EscapeDataString(id)}");
        await Expect(events.Page.Locator("#event-list")).ToBeAttachedAsync(new() { Timeout = 15_000 });
        await Expect(events.Page.Locator("#live-status")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 15_000 });
        await Expect(device.Page.Locator("#device-health .badge")).ToHaveAttributeAsync("data-health", "healthy", new() { Timeout = 15_000 });

        using var response = await twin.Http.PostAsJsonAsync("/api/v1/faults",
            new { kind = "gpu-xid", target = id, parameters = new Dictionary<string, string> { ["xid"] = "79" } }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var fault = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        await Expect(events.Page.Locator($"#event-list li[data-device='{id}']").First).ToBeVisibleAsync(new() { Timeout = 2_000 });
        await Expect(device.Page.Locator("#device-health .badge")).ToHaveAttributeAsync("data-health", "failed", new() { Timeout = 2_000 });
        await events.ScreenshotAsync("events-after-fault");
        await device.ScreenshotAsync("device-after-fault");

        using var repaired = await twin.Http.DeleteAsync($"/api/v1/faults/{Uri.EscapeDataString((string)fault["id"]!)}", Ct);
        Assert.Equal(HttpStatusCode.OK, repaired.StatusCode);
        await Expect(device.Page.Locator("#device-health .badge")).ToHaveAttributeAsync("data-health", "healthy", new() { Timeout = 5_000 });
        Assert.Empty(events.Errors);
        Assert.Empty(device.Errors);
    }

    [Fact]
    public async Task ActionsPage_InjectsAfterConfirmation_AndRepairsFromTheList()
    {
        await SkipUnlessServed("/api/v1/faults?active=true");
        const string target = "east/storage/s03";
        await using var dash = await twin.OpenAsync($"#/actions?target={Uri.EscapeDataString(target)}");
        var page = dash.Page;
        await Expect(page.Locator("#fault-kind")).ToHaveValueAsync("storage-down", new() { Timeout = 15_000 });
        await Expect(page.Locator("#fault-target")).ToHaveValueAsync(target);

        await page.GetByRole(AriaRole.Button, new() { Name = "Inject fault…" }).ClickAsync();
        var dialog = page.Locator("dialog[open]");
        await Expect(dialog).ToContainTextAsync(target);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Inject" }).ClickAsync();

        var row = page.Locator("#active-faults tr", new() { HasText = target });
        await Expect(row).ToHaveCountAsync(1, new() { Timeout = 5_000 });
        await row.GetByRole(AriaRole.Button).ClickAsync();
        await page.Locator("dialog[open]").GetByRole(AriaRole.Button, new() { Name = "Repair" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0, new() { Timeout = 5_000 });
        Assert.Empty(dash.Errors);
    }

    [Fact]
    public async Task FactoryPage_ListsARunningJob_WithItsStateAndGoodput()
    {
        Assert.SkipUnless(DashboardFixture.ChromiumPresent, DashboardFixture.SkipReason);
        using var submit = await twin.Http.PostAsync("/api/v1/jobs", new StringContent(
            """{"name":"browser-job","gpus":64,"sites":["west"],"parallelism":{"tp":8,"pp":1,"dp":8}}""",
            System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Created, submit.StatusCode);
        var id = System.Text.Json.JsonDocument.Parse(await submit.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString();
        await using var dash = await twin.OpenAsync();

        var row = dash.Page.Locator("#jobs-h + div tr", new() { HasText = "browser-job" });
        await Expect(row).ToContainTextAsync("running", new() { Timeout = 15_000 });
        await Expect(row).ToContainTextAsync(id!);
        await WaitUntilSettled(dash.Page);
        Assert.Empty(dash.Errors);
        (await twin.Http.DeleteAsync($"/api/v1/jobs/{id}", Ct)).Dispose();
    }

    [Fact]
    public async Task TheRewindSlider_ShowsTheFactoryAsItWas_WithAFaultThatWasActiveThen()
    {
        Assert.SkipUnless(DashboardFixture.ChromiumPresent, DashboardFixture.SkipReason);
        const string gpu = "west/gpu/h0045-6";
        using var injected = await twin.Http.PostAsJsonAsync("/api/v1/faults",
            new { kind = "gpu-xid", target = gpu, parameters = new Dictionary<string, string> { ["xid"] = "79" }, at = DateTimeOffset.UtcNow.AddMinutes(-40) }, Ct);
        Assert.Equal(HttpStatusCode.Created, injected.StatusCode);
        var fault = (string)JsonNode.Parse(await injected.Content.ReadAsStringAsync(Ct))!["id"]!;

        await using var dash = await twin.OpenAsync();
        var page = dash.Page;
        await Expect(page.Locator("tr[data-site]").First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        var slider = page.Locator("#rewind-slider");
        await slider.FillAsync((24 * 60 - 30).ToString(System.Globalization.CultureInfo.InvariantCulture)); // the right end is now
        await Expect(page.Locator("#rewind-label")).ToHaveTextAsync("30 min ago");
        await Expect(page.Locator("#rewind-result tr[data-site]")).ToHaveCountAsync(3, Soon);
        await Expect(page.Locator($"#rewind-result li[data-fault='{fault}']")).ToContainTextAsync(gpu);
        await dash.ScreenshotAsync("rewind");

        // an hour back the fault had not begun
        await slider.FillAsync((24 * 60 - 60).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#rewind-label")).ToHaveTextAsync("1 h ago");
        await Expect(page.Locator($"#rewind-result li[data-fault='{fault}']")).ToHaveCountAsync(0, Soon);
        (await twin.Http.DeleteAsync($"/api/v1/faults/{fault}", Ct)).Dispose();
        Assert.Empty(dash.Errors);
    }

    /// <summary>Skips (with the reason) when the twin under test does not serve an endpoint yet.</summary>
    private async Task SkipUnlessServed(string url)
    {
        Assert.SkipUnless(DashboardFixture.ChromiumPresent, DashboardFixture.SkipReason);
        using var response = await twin.Http.GetAsync(url, Ct);
        Assert.SkipWhen(response.StatusCode == HttpStatusCode.NotFound,
            $"GET {url.Split('?')[0]} answered 404: this build of the twin does not serve it yet");
    }
}
