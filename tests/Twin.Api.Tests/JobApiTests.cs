using System.Net;
using System.Text;

namespace Twin.Api.Tests;

[Collection(TwinAppCollection.Name)]
public sealed class JobApiTests(TwinAppFixture app)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheIssuesTwoSiteJob_IsPlacedTopologyAware_AndReportsStepTimeAndGoodput()
    {
        using var response = await app.Http.PostJson("/api/v1/jobs", new
        {
            name = "llm-2site", kind = "training", gpus = 512, sites = new[] { "east", "west" },
            parallelism = new { tp = 8, pp = 4, dp = 16 }, modelParams = 70e9, checkpoint = new { intervalMinutes = 30, sizeGB = 1000 },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var job = await response.Body();
        var id = (string)job["id"]!;
        Assert.Equal($"/api/v1/jobs/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("running", (string?)job["state"]);
        var placement = job["placement"]!.AsArray().Select(g => (string)g!).ToList();
        Assert.Equal(512, placement.Count);
        Assert.Equal(256, placement.Count(g => g.StartsWith("east/", StringComparison.Ordinal)));
        // whole hosts: every host in the placement contributes all 8 GPUs (TP = 8 inside one NVLink domain)
        Assert.All(placement.GroupBy(g => g[..g.LastIndexOf('-')]), h => Assert.Equal(8, h.Count()));
        Assert.True((double)job["stepTimeMs"]! > 0);
        Assert.True((double)job["stepTimeMs"]! <= (double)job["flatRingStepTimeMs"]!);
        Assert.InRange((double)job["goodput"]!, 0, 1);
        Assert.True((double)job["recommendedCheckpointMinutes"]! > 0);

        var listed = await app.Http.GetJson("/api/v1/jobs");
        Assert.Contains(listed["items"]!.AsArray(), j => (string?)j!["id"] == id);

        using var cancel = await app.Http.DeleteAsync($"/api/v1/jobs/{id}", Ct);
        Assert.Equal("cancelled", (string?)(await cancel.Body())["state"]);
    }

    [Fact]
    public async Task AJobsDatasetReads_AreWhatItsStepsConsume()
    {
        using var response = await app.Http.PostJson("/api/v1/jobs", new
        {
            name = "multimodal", gpus = 16, sites = new[] { "west" }, parallelism = new { tp = 8, pp = 1, dp = 2 },
            tokensPerStep = 2e6, dataset = new { bytesPerToken = 1500 },
        });
        var job = await response.Body();
        // 2e6 tokens × 1,500 bytes = 3 GB per step, read in one step's time
        var stepSeconds = (double)job["stepTimeMs"]! / 1000;
        Assert.Equal(3.0 / stepSeconds, (double)job["datasetReadGBps"]!, 6);
        Assert.Equal(1.0, (double)job["datasetSupply"]!);
        (await app.Http.DeleteAsync($"/api/v1/jobs/{(string)job["id"]!}", Ct)).Dispose();
    }

    [Fact]
    public async Task NotEnoughCapacity_Is409()
    {
        using var response = await app.Http.PostJson("/api/v1/jobs", new
        {
            name = "too-big", gpus = 4096, sites = new[] { "north" }, parallelism = new { tp = 4, pp = 1, dp = 1024 },
        });
        var problem = await response.Problem(409);
        Assert.Equal("gpus", (string?)problem["field"]);
    }

    [Theory]
    [InlineData("""{"kind":"training","gpus":8,"parallelism":{"tp":8}}""", "name")]
    [InlineData("""{"name":"x","kind":"poetry","gpus":8,"parallelism":{"tp":8}}""", "kind")]
    [InlineData("""{"name":"x","gpus":0,"parallelism":{"tp":8}}""", "gpus")]
    [InlineData("""{"name":"x","gpus":64,"parallelism":{"tp":8,"pp":1,"dp":4}}""", "parallelism")]
    [InlineData("""{"name":"x","gpus":60}""", "parallelism")]
    [InlineData("""{"name":"x","gpus":64,"sites":["mars"],"parallelism":{"tp":8,"dp":8}}""", "sites")]
    [InlineData("""{"name":"x","gpus":24,"sites":["east","west"],"parallelism":{"tp":8,"dp":3}}""", "parallelism.dp")]
    [InlineData("""{"name":"x","gpus":8,"parallelism":{"tp":8},"checkpoint":{"intervalMinutes":0}}""", "checkpoint.intervalMinutes")]
    [InlineData("""{"name":"x","gpus":8,"parallelism":{"tp":8},"onDciCut":"pray"}""", "onDciCut")]
    [InlineData("""{"name":"x","gpus":8,"parallelism":{"tp":8},"overlap":2}""", "overlap")]
    [InlineData("""{"name":"x","gpus":8,"parallelism":{"tp":8},"dataset":{"bytesPerToken":-1}}""", "dataset.bytesPerToken")]
    [InlineData("""{"name":"x","gpus":8,"parallelism":{"tp":16}}""", "parallelism")]
    [InlineData("""{"name":"x","gpus":"eight"}""", "gpus")]
    public async Task BadJobs_Are400_NamingTheField(string body, string field)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await app.Http.PostAsync("/api/v1/jobs", content, Ct);
        var problem = await response.Problem(400);
        Assert.Contains(field, problem.ToJsonString());
    }

    [Fact]
    public async Task UnknownJob_Is404()
    {
        using var response = await app.Http.GetAsync("/api/v1/jobs/j-999999", Ct);
        await response.Problem(404);
        using var delete = await app.Http.DeleteAsync("/api/v1/jobs/j-999999", Ct);
        await delete.Problem(404);
    }
}
