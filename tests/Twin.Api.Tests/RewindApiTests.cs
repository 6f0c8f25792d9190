using System.Globalization;
using System.Net;

namespace Twin.Api.Tests;

/// <summary><c>?at=</c> on factory, site and device: the state history says they had, and how exact that is.</summary>
[Collection(TwinAppCollection.Name)]
public sealed class RewindApiTests(TwinAppFixture app)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("O", CultureInfo.InvariantCulture));

    [Fact]
    public async Task ADevice_IsHealthyBeforeItsFault_FailedDuringIt_AndHealthyAfterItsRepair()
    {
        const string gpu = "north/gpu/h0061-3";
        var began = DateTimeOffset.UtcNow.AddMinutes(-10);
        using var injected = await app.Http.PostJson("/api/v1/faults", new
        {
            kind = "gpu-xid", target = gpu, parameters = new Dictionary<string, string> { ["xid"] = "79" }, at = began,
        });
        Assert.Equal(HttpStatusCode.Created, injected.StatusCode);
        var faultId = (string)(await injected.Body())["id"]!;
        using var repaired = await app.Http.DeleteAsync($"/api/v1/faults/{faultId}", Ct);
        var repairedAt = DateTimeOffset.Parse((string)(await repaired.Body())["repairedAt"]!, CultureInfo.InvariantCulture);

        var device = $"/api/v1/devices/{Uri.EscapeDataString(gpu)}";
        var before = await app.Http.GetJson($"{device}?at={Iso(began.AddSeconds(-1))}");
        Assert.Equal("healthy", (string?)before["health"]);
        Assert.Empty(before["activeFaults"]!.AsArray());

        var during = await app.Http.GetJson($"{device}?at={Iso(began.AddMinutes(1))}");
        Assert.Equal("failed", (string?)during["health"]);
        Assert.Equal("XID 79", (string?)during["healthReason"]);
        Assert.Equal(faultId, (string?)during["activeFaults"]![0]);
        Assert.Equal("exact", (string?)during["exactness"]!["faults"]);
        Assert.NotNull((string?)during["exactness"]!["telemetry"]);

        var after = await app.Http.GetJson($"{device}?at={Iso(repairedAt)}");
        Assert.Equal("healthy", (string?)after["health"]);

        // the site and the factory at the same moments: one more failed GPU in north during the fault
        var northBefore = await app.Http.GetJson($"/api/v1/sites/north?at={Iso(began.AddSeconds(-1))}");
        var northDuring = await app.Http.GetJson($"/api/v1/sites/north?at={Iso(began.AddMinutes(1))}");
        Assert.Equal((int)northBefore["gpus"]!["failed"]! + 1, (int)northDuring["gpus"]!["failed"]!);
        Assert.Equal((int)northBefore["usableGpus"]! - 1, (int)northDuring["usableGpus"]!);
        Assert.Contains(northDuring["activeFaults"]!.AsArray(), f => (string?)f == faultId);
        var factory = await app.Http.GetJson($"/api/v1/factory?at={Iso(began.AddMinutes(1))}");
        Assert.Contains(factory["activeFaults"]!.AsArray(), f => (string?)f!["id"] == faultId && (string?)f["target"] == gpu);
        Assert.Equal(3, factory["sites"]!.AsArray().Count);
    }

    [Fact]
    public async Task HealthFromTelemetry_IsReplayedFromTheEventHistory_WithTheReadingsOfThatMoment()
    {
        const string gpu = "north/gpu/h0062-1";
        var hot = DateTimeOffset.UtcNow.AddMinutes(-6);
        var cool = DateTimeOffset.UtcNow.AddMinutes(-3);
        foreach (var (time, temperature) in new[] { (hot, 97.0), (cool, 55.0) })
        {
            using var posted = await app.Http.PostJson("/api/v1/telemetry", new
            {
                samples = new[] { new { device = gpu, time, metrics = new Dictionary<string, double> { ["temperature_c"] = temperature } } },
            });
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }
        var device = $"/api/v1/devices/{Uri.EscapeDataString(gpu)}";
        var during = await app.Http.GetJson($"{device}?at={Iso(hot.AddMinutes(1))}");
        Assert.Equal("failed", (string?)during["health"]);
        Assert.Equal(97, (double)during["metrics"]!["temperature_c"]!);
        var later = await app.Http.GetJson($"{device}?at=-1m");
        Assert.Equal("healthy", (string?)later["health"]);
        Assert.Equal(55, (double)later["metrics"]!["temperature_c"]!);
        var older = await app.Http.GetJson($"{device}?at={Iso(hot.AddMinutes(-1))}");
        Assert.StartsWith("out of history", (string?)older["exactness"]!["telemetry"]);
    }

    [Theory]
    [InlineData("/api/v1/factory?at=yesterday")]
    [InlineData("/api/v1/sites/east?at=-15x")]
    [InlineData("/api/v1/devices/east%2Fgpu%2Fh0000-0?at=2999-01-01T00:00:00Z")]
    [InlineData("/api/v1/factory?at=")]
    public async Task BadAt_Is400_NamingIt(string url)
    {
        using var response = await app.Http.GetAsync(url, Ct);
        var problem = await response.Problem(400);
        Assert.Equal("at", (string?)problem["field"]);
    }
}
