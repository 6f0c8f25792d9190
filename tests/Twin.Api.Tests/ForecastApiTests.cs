using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Twin.Api.Tests;

/// <summary>Forecasts fork the live factory into a what-if run ahead; the live twin is only read.</summary>
[Collection(TwinAppCollection.Name)]
public sealed class ForecastApiTests(TwinAppFixture app)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonNode> Start(object body)
    {
        using var response = await app.Http.PostJson("/api/v1/forecasts", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await response.Body();
    }

    // polls until the run has ended: it runs on a virtual clock, so this waits for work, not for time
    private async Task<JsonNode> Finished(string id)
    {
        var deadline = Environment.TickCount64 + 60_000;
        while (true)
        {
            var status = await app.Http.GetJson($"/api/v1/forecasts/{id}");
            if ((string?)status["state"] != "running" || Environment.TickCount64 > deadline)
            {
                return status;
            }
            await Task.Delay(50, Ct);
        }
    }

    private async Task<(string Id, List<string> Placement)> SubmitJob(string name)
    {
        using var submit = await app.Http.PostJson("/api/v1/jobs", new
        {
            name, gpus = 64, sites = new[] { "west" }, parallelism = new { tp = 8, pp = 1, dp = 8 },
            checkpoint = new { intervalMinutes = 30, sizeGB = 1000 },
        });
        var job = await submit.Body();
        return ((string)job["id"]!, job["placement"]!.AsArray().Select(g => (string)g!).ToList());
    }

    [Fact]
    public async Task AFaultOnAJobsGpu_CostsItTheGoodputComputedByHand_AndTheLiveTwinIsUntouched()
    {
        var (jobId, placement) = await SubmitJob("forecast-victim");
        var gpu = placement[11];
        var factoryBefore = await app.Http.GetJson("/api/v1/factory");
        var gpuBefore = await app.Http.GetJson($"/api/v1/devices/{Uri.EscapeDataString(gpu)}");
        var jobBefore = await app.Http.GetJson($"/api/v1/jobs/{jobId}");

        var started = await Start(new
        {
            horizon = "2h", failures = false,
            faults = new[] { new { kind = "gpu-xid", target = gpu, at = "45m", parameters = new Dictionary<string, string> { ["xid"] = "79" } } },
        });
        var done = await Finished((string)started["id"]!);
        Assert.Equal("done", (string?)done["state"]);

        // by hand: the job starts the forecast from a checkpoint (30 min interval), so the failure at 45 min loses
        // 15 min; it is down 2 min (detection) + 5 min (restart) + 1,000 GB read from west's hot tier (6 × 50 GB/s)
        var down = 120 + 300 + 1000 / 300.0;
        var expected = (7200 - 900 - down) / 7200;
        var diff = done["report"]!["diff"]!["jobs"]!.AsArray().Single(j => (string?)j!["job"] == jobId)!;
        Assert.Equal(1.0, (double)diff["goodputBaseline"]!, 9);
        Assert.Equal(expected, (double)diff["goodputWhatIf"]!, 6);
        Assert.Equal(expected - 1, (double)diff["goodputDelta"]!, 6);
        Assert.Equal(1, (int)diff["interruptionsDelta"]!);
        Assert.Equal(900, (double)diff["lostWorkSecondsDelta"]!, 3);

        // the live twin: same device health, same job, same factory counts
        var gpuAfter = await app.Http.GetJson($"/api/v1/devices/{Uri.EscapeDataString(gpu)}");
        Assert.Equal((string?)gpuBefore["health"], (string?)gpuAfter["health"]);
        Assert.Empty(gpuAfter["activeFaults"]!.AsArray());
        var jobAfter = await app.Http.GetJson($"/api/v1/jobs/{jobId}");
        Assert.Equal((int)jobBefore["interruptions"]!, (int)jobAfter["interruptions"]!);
        Assert.Equal(placement, jobAfter["placement"]!.AsArray().Select(g => (string)g!).ToList());
        var factoryAfter = await app.Http.GetJson("/api/v1/factory");
        Assert.Equal(factoryBefore["activeFaults"]!.ToJsonString(), factoryAfter["activeFaults"]!.ToJsonString());
        (await app.Http.DeleteAsync($"/api/v1/jobs/{jobId}", Ct)).Dispose();
    }

    [Fact]
    public async Task TwoForecasts_RunAtOnce_AndACancelledOneIsGone()
    {
        // a day at 86,400× each: about a second apiece of wall time, so they overlap
        var a = await Start(new { horizon = "1d", speed = 86_400, faults = new[] { new { kind = "switch-down", target = "east/switch/spine-00", at = "1h" } } });
        var b = await Start(new { horizon = "1d", speed = 86_400, faults = new[] { new { kind = "dci-cut", target = "dci/east-west", at = "2h" } } });
        Assert.NotEqual((string?)a["id"], (string?)b["id"]);
        var listed = await app.Http.GetJson("/api/v1/forecasts");
        Assert.Contains(listed["items"]!.AsArray(), f => (string?)f!["id"] == (string?)a["id"]);
        Assert.Contains(listed["items"]!.AsArray(), f => (string?)f!["id"] == (string?)b["id"]);
        Assert.Equal("done", (string?)(await Finished((string)a["id"]!))["state"]);
        Assert.Equal("done", (string?)(await Finished((string)b["id"]!))["state"]);

        // a week at 60×: hours of wall time, until it is cancelled
        var slow = await Start(new { horizon = "7d", speed = 60 });
        using var cancel = await app.Http.DeleteAsync($"/api/v1/forecasts/{(string)slow["id"]!}", Ct);
        Assert.Equal("cancelled", (string?)(await cancel.Body())["state"]);
        using var gone = await app.Http.GetAsync($"/api/v1/forecasts/{(string)slow["id"]!}", Ct);
        await gone.Problem(404);
    }

    [Theory]
    [InlineData("""{"horizon":"forever"}""", 400, "horizon")]
    [InlineData("""{"horizon":"90d"}""", 400, "horizon")]
    [InlineData("""{"horizon":"6h","faults":[{"kind":"meteor","target":"east"}]}""", 400, "faults[0].kind")]
    [InlineData("""{"horizon":"6h","faults":[{"kind":"switch-down","target":"east/switch/spine-99"}]}""", 404, "faults[0].target")]
    [InlineData("""{"horizon":"6h","faults":[{"kind":"switch-down","target":"east/switch/spine-00","at":"7h"}]}""", 400, "faults[0].at")]
    [InlineData("""{"horizon":"6h","speed":-1}""", 400, "speed")]
    public async Task BadForecasts_NameTheField(string body, int status, string field)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await app.Http.PostAsync("/api/v1/forecasts", content, Ct);
        var problem = await response.Problem(status);
        Assert.Contains(field, problem.ToJsonString());
    }
}
