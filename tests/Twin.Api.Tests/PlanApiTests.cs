using System.Text;
using System.Text.Json.Nodes;
using Twin.Model.Devices;
using Twin.Model.Topology;

namespace Twin.Api.Tests;

[Collection(TwinAppCollection.Name)]
public sealed class PlanApiTests(TwinAppFixture app)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonNode> Plan(object body, string path = "/api/v1/plans/fabric")
    {
        using var response = await app.Http.PostJson(path, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        return await response.Body();
    }

    [Theory]
    [InlineData(2_048, 64, 2)]   // k²/2 = 2,048
    [InlineData(2_049, 64, 3)]   // one more needs a third tier
    [InlineData(65_536, 64, 3)]  // k³/4 = 65,536
    [InlineData(512, 512, 1)]    // a radix-512 switch joins 512 GPUs alone
    public async Task Tiers_FollowFatTreeCapacity(int gpus, int radix, int tiers)
    {
        var plan = await Plan(new { gpus, switchRadix = radix, nicGbps = 800, portGbps = 800 });
        Assert.Equal(tiers, (int)plan["tiers"]!);
    }

    [Fact]
    public async Task Silicon1024At800G_IsRadix128_And8192GpusTakeTwoTiers_Of128LeavesAnd64Spines()
    {
        // radix 128: a leaf serves 64 GPUs → 8,192 / 64 = 128 leaves; 128 × 64 uplinks / 128 ports = 64 spines
        var plan = await Plan(new { gpus = 8_192, siliconTbps = 102.4, portGbps = 800, nicGbps = 800 });
        Assert.Equal(128, (int)plan["radix"]!);
        Assert.Equal(2, (int)plan["tiers"]!);
        Assert.Equal([128L, 64L], plan["switchesPerTier"]!.AsArray().Select(n => (long)n!));
        Assert.True((double)plan["fabricPowerKw"]! > 0);
        Assert.True((double)plan["latencyNs"]! > 0);
    }

    [Fact]
    public async Task Compare_LpoSavesUpToHalfTheOpticsPower_CpoThirtyToFortyPercentAtTheSameRadix()
    {
        var c = await Plan(new { gpus = 8_192, siliconTbps = 102.4, portGbps = 800, nicGbps = 800 }, "/api/v1/plans/fabric/compare");
        var lpo = (double)c["lpo"]!["opticsPowerSavingPct"]!;
        Assert.InRange(lpo, 40, 55);
        Assert.True((double)c["lpo"]!["plan"]!["latencyNs"]! < (double)c["dsp"]!["plan"]!["latencyNs"]!);
        Assert.True((double)c["cpo"]!["plan"]!["fabricPowerKw"]! < (double)c["dsp"]!["plan"]!["fabricPowerKw"]!);
    }

    [Fact]
    public async Task PlannedTopology_LoadsInTheTwin_WithEveryGpu()
    {
        using var response = await app.Http.PostJson("/api/v1/plans/topology",
            new { gpus = 1_024, siliconTbps = 51.2, portGbps = 400, nicGbps = 400, optics = new[] { "dac", "lpo" }, linkLengthsM = new[] { 3.0, 50 }, site = "south", gpusPerHost = 8 });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("application/yaml", response.Content.Headers.ContentType?.MediaType);
        var topology = TopologyGenerator.Generate(TopologyLoader.Parse(await response.Content.ReadAsStringAsync(Ct)));
        Assert.Equal(1_024, topology.Count("south", DeviceKind.Gpu));
        Assert.Equal(Twin.Model.Fabric.OpticType.Lpo, topology.Devices.First(d => d.Tier == "leaf-spine").Optics);
    }

    [Theory]
    [InlineData("""{"siliconTbps":102.4,"portGbps":800}""", "gpus")]
    [InlineData("""{"gpus":0,"switchRadix":64}""", "gpus")]
    [InlineData("""{"gpus":100,"switchRadix":63}""", "switchRadix")]
    [InlineData("""{"gpus":100}""", "siliconTbps")]
    [InlineData("""{"gpus":100,"switchRadix":64,"optics":"laser"}""", "optics")]
    [InlineData("""{"gpus":100,"switchRadix":64,"optics":["dac",7]}""", "optics[1]")]
    [InlineData("""{"gpus":10000000,"switchRadix":16}""", "tiers")]
    [InlineData("""{"gpus":"many"}""", "gpus")]
    public async Task BadPlans_Are400_NamingTheField(string body, string field)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await app.Http.PostAsync("/api/v1/plans/fabric", content, Ct);
        var problem = await response.Problem(400);
        Assert.Contains(field, problem.ToJsonString());
    }
}
