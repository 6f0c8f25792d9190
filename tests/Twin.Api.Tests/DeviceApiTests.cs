using Twin.Contracts.Devices;
using Twin.Contracts.Sites;
using Twin.Contracts.Telemetry;
using Twin.Model.Devices;
using Twin.Model.Telemetry;

namespace Twin.Api.Tests;

[Collection(TwinAppCollection.Name)]
public sealed class DeviceApiTests(TwinAppFixture app)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<List<string>> PageAll(string query, int limit)
    {
        var ids = new List<string>();
        string? cursor = null;
        for (var pages = 0; pages < 10_000; pages++)
        {
            var url = $"/api/v1/devices?{query}&limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = await app.Http.GetJson(url);
            var items = page["items"]!.AsArray();
            Assert.True(items.Count <= limit);
            ids.AddRange(items.Select(i => (string)i!["id"]!));
            cursor = (string?)page["next"];
            if (cursor is null)
            {
                return ids;
            }
            Assert.NotEmpty(items);
        }
        throw new InvalidOperationException("paging did not end");
    }

    [Fact]
    public async Task Paging_VisitsEveryDeviceExactlyOnce()
    {
        var ids = await PageAll("", 1000);
        Assert.Equal(app.Topology.Devices.Select(d => d.Id), ids);
    }

    [Fact]
    public async Task Paging_WithKindAndSiteFilters_VisitsEachMatchExactlyOnce()
    {
        var gpus = await PageAll("kind=gpu", 97);
        Assert.Equal(app.Topology.Devices.Where(d => d.Kind == DeviceKind.Gpu).Select(d => d.Id), gpus);

        var westLinks = await PageAll("kind=link&site=west", 250);
        Assert.Equal(app.Topology.Count("west", DeviceKind.Link), westLinks.Count);
        Assert.All(westLinks, id => Assert.StartsWith("west/link/", id));
    }

    [Fact]
    public async Task HealthFilter_FindsAFailedGpu()
    {
        const string id = "north/gpu/h0005-1";
        await app.Grains.GetGrain<IGpuGrain>(id).ApplyTelemetry(
            new DeviceTelemetry(id, DateTimeOffset.UtcNow, [new MetricValue(Metric.Xid, 79)]));
        var site = app.Grains.GetGrain<ISiteCoordinatorGrain>("north");
        for (var i = 0; i < 500 && !(await site.GetUnhealthy()).ContainsKey(id); i++)
        {
            await Task.Delay(20, Ct);
        }
        var failed = await app.Http.GetJson("/api/v1/devices?health=failed&site=north");
        var item = Assert.Single(failed["items"]!.AsArray(), i => (string?)i!["id"] == id)!;
        Assert.Equal("failed", (string?)item["health"]);
        Assert.Equal("gpu", (string?)item["kind"]);
    }

    [Fact]
    public async Task Device_ByEncodedOrRawId_ShowsMirroredState()
    {
        const string id = "east/gpu/h0003-6";
        await app.Grains.GetGrain<IGpuGrain>(id).ApplyTelemetry(new DeviceTelemetry(id, DateTimeOffset.UtcNow,
            [new MetricValue(Metric.TemperatureC, 64), new MetricValue(Metric.PowerW, 655)]));
        var encoded = await app.Http.GetJson("/api/v1/devices/" + Uri.EscapeDataString(id));
        Assert.Equal(id, (string?)encoded["id"]);
        Assert.Equal("gpu", (string?)encoded["kind"]);
        Assert.Equal("east", (string?)encoded["site"]);
        Assert.Equal(64, (double)encoded["metrics"]!["temperature_c"]!);
        Assert.Equal("h0003", (string?)encoded["attributes"]!["host"]);
        Assert.Equal("6", (string?)encoded["attributes"]!["rail"]);

        var raw = await app.Http.GetJson("/api/v1/devices/" + id);
        Assert.Equal(655, (double)raw["metrics"]!["power_w"]!);
    }

    [Fact]
    public async Task UnknownDevice_Is404Problem_NamingTheId()
    {
        using var response = await app.Http.GetAsync("/api/v1/devices/no-such-site%2Fgpu%2Fx", Ct);
        var problem = await response.Problem(404);
        Assert.Equal("no-such-site/gpu/x", (string?)problem["device"]);
    }

    [Theory]
    [InlineData("kind=toaster", "kind")]
    [InlineData("health=sleepy", "health")]
    [InlineData("site=mars", "site")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=5000", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("limit=ten", "limit")]
    public async Task BadFilters_Are400Problems_NamingTheField(string query, string field)
    {
        using var response = await app.Http.GetAsync("/api/v1/devices?" + query, Ct);
        var problem = await response.Problem(400);
        Assert.Contains(field, problem.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }
}
