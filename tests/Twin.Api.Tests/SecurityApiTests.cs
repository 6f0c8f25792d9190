using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Twin.Api.Tests;

/// <summary>The modelled factory's security over REST: DPU policies, tenants, flows, exfiltration, attestation.</summary>
[Collection(TwinAppCollection.Name)]
public sealed class SecurityApiTests(TwinAppFixture app)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Dpu(string host) => $"/api/v1/devices/{Uri.EscapeDataString($"east/dpu/{host}")}/policy";

    private async Task<JsonNode> Put(string url, object body)
    {
        using var content = new StringContent(System.Text.Json.JsonSerializer.Serialize(body, System.Text.Json.JsonSerializerOptions.Web), Encoding.UTF8, "application/json");
        using var response = await app.Http.PutAsync(url, content, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        return await response.Body();
    }

    private async Task<JsonNode> Flow(object body)
    {
        using var response = await app.Http.PostJson("/api/v1/flows", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Body();
    }

    [Fact]
    public async Task ACrossTenantFlow_IsDenied_AndReportedAsASecurityEvent()
    {
        await Put("/api/v1/tenants/acme", new { members = new[] { "east/host/h0010", "east/host/h0011" } });
        await Put("/api/v1/tenants/globex", new { members = new[] { "east/host/h0020" } });
        var policy = await Put(Dpu("h0010"), new
        {
            rules = new object[]
            {
                new { action = "deny", sourceTenant = "acme", destinationTenant = "globex", name = "tenant isolation" },
                new { action = "allow", protocol = "tcp", destination = "10.0.0.0/8" },
                new { action = "allow", protocol = "tcp", destination = "10.0.4.0/24", ports = "443" },
            },
            defaultAction = "deny",
        });
        var warning = policy["warnings"]!.AsArray().Single()!;
        Assert.Equal((2, 1), ((int)warning["rule"]!, (int)warning["shadowedBy"]!));

        var across = await Flow(new { source = "east/gpu/h0010-0", destination = "east/gpu/h0020-3", port = 8443 });
        Assert.False((bool)across["allowed"]!);
        Assert.Equal("denied by rule 0 (tenant isolation)", (string?)across["reason"]);
        var within = await Flow(new { source = "east/gpu/h0010-0", destination = "east/host/h0011", port = 8443 });
        Assert.True((bool)within["allowed"]!);
        Assert.Equal(1, (int)within["rule"]!);
        var outside = await Flow(new { source = "east/host/h0010", destination = "internet", port = 443 });
        Assert.Equal("denied by default", (string?)outside["reason"]);

        var events = await app.Http.GetJson("/api/v1/events?kind=security-violation&limit=500");
        Assert.Contains(events["items"]!.AsArray(), e => ((string)e!["summary"]!).Contains("east/gpu/h0010-0 → east/gpu/h0020-3:8443 (tenant acme → globex)"));
    }

    [Fact]
    public async Task AWeightSizedEgress_IsDetected_AndBlocked()
    {
        // a tenth of a 1 TB checkpoint: 100 GB off-site within 10 minutes
        await Put(Dpu("h0012"), new { defaultAction = "allow", exfiltrationGB = 100, exfiltrationWindowMinutes = 10 });
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-5);
        var first = await Flow(new { source = "east/host/h0012", destination = "203.0.113.50", port = 443, bytes = 60e9, at = t0, sourcePort = 1 });
        Assert.True((bool)first["allowed"]!);
        var second = await Flow(new { source = "east/host/h0012", destination = "203.0.113.50", port = 443, bytes = 60e9, at = t0.AddMinutes(1), sourcePort = 2 });
        Assert.False((bool)second["allowed"]!);
        Assert.True((bool)second["exfiltrationSuspected"]!);
        Assert.Equal(120e9, (double)second["egressBytesInWindow"]!);
        var events = await app.Http.GetJson("/api/v1/events?kind=exfiltration-suspected&limit=500");
        Assert.Contains(events["items"]!.AsArray(), e => (string?)e!["deviceId"] == "east/dpu/h0012");
    }

    [Fact]
    public async Task AFailedAttestation_QuarantinesTheHost_AndItsJobMovesToASpare()
    {
        using var submit = await app.Http.PostJson("/api/v1/jobs", new { name = "attested", gpus = 8, sites = new[] { "west" }, parallelism = new { tp = 8, pp = 1, dp = 1 } });
        var job = await submit.Body();
        var gpu = (string)job["placement"]![0]!;
        var host = $"west/host/{gpu.Split('/')[2].Split('-')[0]}";

        using var failed = await app.Http.PostJson($"/api/v1/devices/{Uri.EscapeDataString(host)}/attestation", new { status = "failed" });
        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        var fault = await failed.Body();
        Assert.Equal("attestation-failed", (string?)fault["kind"]);
        Assert.Equal("quarantined", (string?)(await app.Http.GetJson($"/api/v1/devices/{Uri.EscapeDataString(gpu)}"))["health"]);

        var deadline = Environment.TickCount64 + 10_000;
        JsonNode moved;
        do
        {
            moved = await app.Http.GetJson($"/api/v1/jobs/{(string)job["id"]!}");
            await Task.Delay(20, Ct);
        }
        while ((int)moved["interruptions"]! == 0 && Environment.TickCount64 < deadline);
        Assert.DoesNotContain(gpu, moved["placement"]!.AsArray().Select(g => (string)g!));

        using var passed = await app.Http.PostJson($"/api/v1/devices/{Uri.EscapeDataString(host)}/attestation", new { status = "passed" });
        Assert.Contains((string)fault["id"]!, (await passed.Body())["repaired"]!.AsArray().Select(f => (string)f!));
        Assert.Equal("healthy", (string?)(await app.Http.GetJson($"/api/v1/devices/{Uri.EscapeDataString(gpu)}"))["health"]);
        (await app.Http.DeleteAsync($"/api/v1/jobs/{(string)job["id"]!}", Ct)).Dispose();
    }

    [Theory]
    [InlineData("east%2Fdpu%2Fh0001", """{"rules":[{"action":"allow","source":"10.1.0.0/33"}]}""", 400, "rules[0].source")]
    [InlineData("east%2Fdpu%2Fh0001", """{"rules":[{"action":"allow","ports":"70000"}]}""", 400, "rules[0].ports")]
    [InlineData("east%2Fdpu%2Fh0001", """{"rules":[{"action":"maybe"}]}""", 400, "rules[0].action")]
    [InlineData("east%2Fdpu%2Fh0001", """{"exfiltrationGB":-1}""", 400, "exfiltrationGB")]
    [InlineData("east%2Fgpu%2Fh0001-0", """{}""", 400, "id")]
    [InlineData("east%2Fdpu%2Fh9999", """{}""", 404, "device")]
    public async Task BadPolicies_NameTheField(string dpu, string body, int status, string field)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await app.Http.PutAsync($"/api/v1/devices/{dpu}/policy", content, Ct);
        Assert.Contains(field, (await response.Problem(status)).ToJsonString());
    }

    [Theory]
    [InlineData("""{"destination":"internet","port":443}""", "source")]
    [InlineData("""{"source":"east/host/h0001","port":443}""", "destination")]
    [InlineData("""{"source":"east/host/h0001","destination":"mars","port":443}""", "destination")]
    [InlineData("""{"source":"east/host/h0001","destination":"internet","port":70000}""", "port")]
    [InlineData("""{"source":"east/host/h0001","destination":"internet","port":1,"protocol":"sctp"}""", "protocol")]
    public async Task BadFlows_NameTheField(string body, string field)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await app.Http.PostAsync("/api/v1/flows", content, Ct);
        Assert.Contains(field, (await response.Problem(400)).ToJsonString());
    }

    [Fact]
    public async Task BadTenantsAndAttestations_NameTheFieldOrTheHost()
    {
        using var tenant = new StringContent("""{"members":["east/host/h0010","east/switch/spine-00"]}""", Encoding.UTF8, "application/json");
        using var badMember = await app.Http.PutAsync("/api/v1/tenants/initech", tenant, Ct);
        Assert.Equal("members[1]", (string?)(await badMember.Problem(400))["field"]);
        Assert.DoesNotContain("initech", (await app.Http.GetJson("/api/v1/tenants")).AsObject().Select(t => t.Key)); // nothing half-applied

        using var badStatus = await app.Http.PostJson("/api/v1/devices/east%2Fhost%2Fh0031/attestation", new { status = "probably" });
        Assert.Equal("status", (string?)(await badStatus.Problem(400))["field"]);
        using var unknown = await app.Http.PostJson("/api/v1/devices/east%2Fhost%2Fh9999/attestation", new { status = "failed" });
        await unknown.Problem(404);
        using var notAHost = await app.Http.PostJson("/api/v1/devices/east%2Fswitch%2Fspine-00/attestation", new { status = "failed" });
        await notAHost.Problem(404);
    }
}
