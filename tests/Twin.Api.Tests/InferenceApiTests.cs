using System.Net;
using System.Text;
using Twin.Model.Inference;
using Twin.Model.Workloads;

namespace Twin.Api.Tests;

[Collection(TwinAppCollection.Name)]
public sealed class InferenceApiTests(TwinAppFixture app)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AServiceIsDeployed_Listed_Read_AndStopped()
    {
        using var response = await app.Http.PostJson("/api/v1/inference", new
        {
            name = "chat", site = "east", model = new { @params = 70e9, bytesPerParam = 2 }, replicas = 2, gpusPerReplica = 8,
            requestsPerSecond = 40, tokensIn = 2000, tokensOut = 250,
            kvCache = new { hbmHitRatio = 0.5, dramHitRatio = 0.5, nvmeHitRatio = 0.8 }, slaMs = new { ttft = 2000, tpot = 100 },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var service = await response.Body();
        var id = (string)service["id"]!;
        Assert.StartsWith("inf-", id);
        Assert.Equal($"/api/v1/inference/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("serving", (string?)service["state"]);
        Assert.Equal(2, service["placement"]!.AsArray().Count);
        Assert.All(service["placement"]!.AsArray(), r => Assert.Equal(8, r!.AsArray().Count));
        // 40 req/s over two replicas of ~26 with that prefix cache (east runs H100s), as the model computes it
        var capacity = (double)service["capacityRequestsPerSecond"]!;
        var spec = new InferenceServiceSpec
        {
            Name = "chat", Site = "east", Replicas = 2, RequestsPerSecond = 40, HbmHitRatio = 0.5, DramHitRatio = 0.5, NvmeHitRatio = 0.8,
        };
        Assert.Equal(InferenceModel.Estimate(spec, 2, GpuSpecs.For("H100")).CapacityRequestsPerSecond, capacity, 9);
        Assert.Equal(40 / capacity, (double)service["utilization"]!, 9);
        Assert.Equal("bf16", (string?)service["precision"]);
        Assert.True((double)service["saturatedTokensPerSecond"]! > 0);
        Assert.True((double)service["batchOneTpotMs"]! < (double)service["tpotMs"]!);
        Assert.True((bool)service["slaMet"]!);

        var listed = await app.Http.GetJson("/api/v1/inference");
        Assert.Contains(listed["items"]!.AsArray(), s => (string?)s!["id"] == id);
        Assert.Equal(id, (string?)(await app.Http.GetJson($"/api/v1/inference/{id}"))["id"]);
        // its GPUs are taken: the training jobs' placer does not see them
        var jobs = await app.Http.GetJson("/api/v1/jobs");
        Assert.DoesNotContain(jobs["items"]!.AsArray(), j => (string?)j!["id"] == id);

        using var stop = await app.Http.DeleteAsync($"/api/v1/inference/{id}", Ct);
        Assert.Equal("stopped", (string?)(await stop.Body())["state"]);
        using var gone = await app.Http.GetAsync($"/api/v1/inference/{id}", Ct);
        await gone.Problem(404);
    }

    [Theory]
    [InlineData("""{"site":"east"}""", "name")]
    [InlineData("""{"name":"x"}""", "site")]
    [InlineData("""{"name":"x","site":"mars"}""", "site")]
    [InlineData("""{"name":"x","site":"east","replicas":0}""", "replicas")]
    [InlineData("""{"name":"x","site":"east","kvCache":{"hbmHitRatio":2}}""", "kvCache.hbmHitRatio")]
    [InlineData("""{"name":"x","site":"east","slaMs":{"tpot":-5}}""", "slaMs.tpot")]
    [InlineData("""{"name":"x","site":"east","model":{"params":405e9},"gpusPerReplica":2}""", "gpusPerReplica")]
    [InlineData("""{"name":"x","site":"east","gpusPerReplica":16}""", "gpusPerReplica")]
    [InlineData("""{"name":"x","site":"east","replicas":"two"}""", "replicas")]
    public async Task BadServices_Are400_NamingTheField(string body, string field)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await app.Http.PostAsync("/api/v1/inference", content, Ct);
        var problem = await response.Problem(400);
        Assert.Contains(field, problem.ToJsonString());
    }

    [Fact]
    public async Task MoreReplicasThanGpus_Is409_NamingGpus()
    {
        using var response = await app.Http.PostJson("/api/v1/inference", new { name = "too-many", site = "west", replicas = 100, gpusPerReplica = 8 });
        var problem = await response.Problem(409);
        Assert.Equal("gpus", (string?)problem["field"]);
    }
}
