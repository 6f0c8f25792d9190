using System.Net;
using System.Text.Json.Nodes;

namespace Twin.Api.Tests;

[Collection(TwinAppCollection.Name)]
public sealed class ScenarioApiTests(TwinAppFixture app)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ShippedScenarios_AreListed()
    {
        var names = (await app.Http.GetJson("/api/v1/scenarios"))["items"]!.AsArray().Select(s => (string?)s!["name"]).ToList();
        foreach (var name in new[] { "llama3-54d", "dci-cut", "spine-failure", "optic-degradation", "checkpoint-storm", "site-power-loss",
                     "insider-exfiltration", "tenant-breakout", "dpu-ddos" })
        {
            Assert.Contains(name, names);
        }
    }

    [Fact]
    public async Task ARun_IsAccepted_RunsToItsReport_AndTheReportCarriesTheContract()
    {
        using var response = await app.Http.PostJson("/api/v1/scenarios/dci-cut/runs", new { seed = 7 });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = await response.Body();
        var id = (string)run["id"]!;
        Assert.Equal($"/api/v1/scenarios/runs/{id}", response.Headers.Location?.OriginalString);

        JsonNode status = run;
        for (var i = 0; i < 500 && (string?)status["state"] == "running"; i++)
        {
            await Task.Delay(20, Ct);
            status = await app.Http.GetJson($"/api/v1/scenarios/runs/{id}");
        }
        Assert.Equal("passed", (string?)status["state"]);
        Assert.Equal(12 * 3600, (double)status["virtualSeconds"]!, 3);

        var report = await app.Http.GetJson($"/api/v1/scenarios/runs/{id}/report");
        Assert.True((bool)report["passed"]!);
        Assert.Equal(1, (int)report["interruptions"]!);
        foreach (var field in new[] { "wallSeconds", "virtualSeconds", "goodput", "expectations" })
        {
            Assert.NotNull(report[field]);
        }
        Assert.All(report["expectations"]!.AsArray(), e => Assert.True((bool)e!["passed"]!));

        using var html = await app.Http.GetAsync($"/api/v1/scenarios/runs/{id}/report?format=html", Ct);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<svg", await html.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task UnknownScenarioOrRun_Is404_AndABadSpeedIs400()
    {
        using var unknown = await app.Http.PostJson("/api/v1/scenarios/meteor-strike/runs", new { });
        await unknown.Problem(404);
        using var badSpeed = await app.Http.PostJson("/api/v1/scenarios/dci-cut/runs", new { speed = -5 });
        var problem = await badSpeed.Problem(400);
        Assert.Equal("speed", (string?)problem["field"]);
        using var noRun = await app.Http.GetAsync("/api/v1/scenarios/runs/r-000000000000", Ct);
        await noRun.Problem(404);
        using var noReport = await app.Http.GetAsync("/api/v1/scenarios/runs/r-000000000000/report", Ct);
        await noReport.Problem(404);
    }
}
