using Twin.Model.Devices;

namespace Twin.Api.Tests;

[Collection(TwinAppCollection.Name)]
public sealed class FactoryApiTests(TwinAppFixture app)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Healthz_IsOk_AndNamesTheFactory()
    {
        var body = await app.Http.GetJson("/healthz");
        Assert.Equal("ok", (string?)body["status"]);
        Assert.Equal("demo", (string?)body["factory"]);
        Assert.Equal(app.Topology.Devices.Count, (int)body["devices"]!);
    }

    [Fact]
    public async Task Sites_ListsThreeSites_WithGpuTotalsFromTheTopology()
    {
        var sites = (await app.Http.GetJson("/api/v1/sites")).AsArray();
        Assert.Equal(["east", "west", "north"], sites.Select(s => (string?)s!["name"]));
        foreach (var s in sites)
        {
            var name = (string)s!["name"]!;
            Assert.Equal(app.Topology.Count(name, DeviceKind.Gpu), (int)s["gpus"]!["total"]!);
            Assert.Equal(app.Topology.Count(name, DeviceKind.Link), (int)s["links"]!["total"]!);
            Assert.Equal(app.Topology.Count(name, DeviceKind.Dpu), (int)s["dpus"]!["total"]!);
            Assert.True((double)s["bisectionTbps"]! > 0);
        }
    }

    [Fact]
    public async Task Site_ByName_AndUnknownSite_Is404Problem()
    {
        var east = await app.Http.GetJson("/api/v1/sites/east");
        Assert.Equal(512, (int)east["gpus"]!["total"]!);
        Assert.Equal("infiniband", (string?)east["network"]);

        using var missing = await app.Http.GetAsync("/api/v1/sites/mars", Ct);
        var problem = await missing.Problem(404);
        Assert.Contains("mars", (string?)problem["detail"]);
    }

    [Fact]
    public async Task Factory_TotalsSites_AndListsDciLinks_WithLatencyFromDistance()
    {
        var f = await app.Http.GetJson("/api/v1/factory");
        Assert.Equal(3, f["sites"]!.AsArray().Count);
        Assert.Equal(512 + 384 + 288, (int)f["gpus"]!["total"]!);
        var dci = f["dciLinks"]!.AsArray();
        Assert.Equal(8, dci.Count);
        var eastWest = dci.First(l => (string?)l!["id"] == "dci/east-west-1")!;
        // 600 km of fibre at 5 µs/km one way = 3 ms
        Assert.Equal(3.0, (double)eastWest["latencyMs"]!, 6);
        Assert.Equal("healthy", (string?)eastWest["health"]);
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheEndpoints()
    {
        var doc = await app.Http.GetJson("/openapi/v1.json");
        var paths = doc["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/v1/factory", paths);
        Assert.Contains("/api/v1/sites/{site}", paths);
        Assert.Contains("/api/v1/devices", paths);
        Assert.Contains("/healthz", paths);
    }
}
