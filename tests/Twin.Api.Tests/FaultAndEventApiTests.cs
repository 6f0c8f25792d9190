using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Twin.Api.Tests;

[Collection(TwinAppCollection.Name)]
public sealed class FaultAndEventApiTests(TwinAppFixture app)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<long> LastSequence() => (long)(await app.Http.GetJson("/api/v1/events?since=0&limit=1"))["last"]!;

    private async Task<JsonNode> InjectGpuXid(string target, int xid)
    {
        using var response = await app.Http.PostJson("/api/v1/faults", new { kind = "gpu-xid", target, parameters = new { xid } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var fault = await response.Body();
        Assert.Equal($"/api/v1/faults/{(string?)fault["id"]}", response.Headers.Location?.OriginalString);
        return fault;
    }

    [Fact]
    public async Task InjectedFault_FailsTheDevice_IsListed_InTheHistory_AndRepairRestores()
    {
        const string id = "west/gpu/h0010-2";
        var fault = await InjectGpuXid(id, 79);
        var faultId = (string)fault["id"]!;
        Assert.True((bool)fault["active"]!);
        Assert.Equal("api", (string?)fault["source"]);

        var device = await app.Http.GetJson("/api/v1/devices/" + Uri.EscapeDataString(id));
        Assert.Equal("failed", (string?)device["health"]);
        Assert.Equal("XID 79", (string?)device["healthReason"]);

        var active = await app.Http.GetJson("/api/v1/faults?active=true&site=west");
        Assert.Contains(active["items"]!.AsArray(), f => (string?)f!["id"] == faultId);

        var events = await app.Http.GetJson("/api/v1/events?since=0&kind=fault-injected&limit=1000");
        Assert.Contains(events["items"]!.AsArray(), e => (string?)e!["faultId"] == faultId && (string?)e["deviceId"] == id);

        using var repair = await app.Http.DeleteAsync($"/api/v1/faults/{faultId}", Ct);
        Assert.Equal(HttpStatusCode.OK, repair.StatusCode);
        Assert.False((bool)(await repair.Body())["active"]!);
        Assert.Equal("healthy", (string?)(await app.Http.GetJson("/api/v1/devices/" + Uri.EscapeDataString(id)))["health"]);

        using var again = await app.Http.DeleteAsync($"/api/v1/faults/{faultId}", Ct);
        await again.Problem(409);
    }

    [Theory]
    [InlineData("""{"kind":"gpu-xid","target":"nowhere/gpu/x","parameters":{"xid":79}}""", 404, "target")]
    [InlineData("""{"kind":"switch-down","target":"east/gpu/h0000-0"}""", 400, "target")]
    [InlineData("""{"kind":"gpu-xid","target":"east/gpu/h0000-0"}""", 400, "parameters.xid")]
    [InlineData("""{"kind":"gpu-xid","target":"east/gpu/h0000-0","parameters":{"xid":[1]}}""", 400, "parameters.xid")]
    [InlineData("""{"target":"east/gpu/h0000-0"}""", 400, "kind")]
    [InlineData("""{"kind":"gpu-xid"}""", 400, "target")]
    [InlineData("""{"kind":"link-down","target":"east/link/h0000-0:leaf-00","duration":"soon"}""", 400, "duration")]
    [InlineData("""{"kind":"link-down","target":"east/link/h0000-0:leaf-00","at":"yesterday"}""", 400, "at")]
    [InlineData("""{"kind":"gpu-xid","target":""" , 400, "")]
    public async Task BadFaultRequests_AreProblems_NamingTheField(string body, int status, string field)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await app.Http.PostAsync("/api/v1/faults", content, Ct);
        var problem = await response.Problem(status);
        Assert.Contains(field, problem.ToJsonString());
    }

    [Fact]
    public async Task UnknownFault_Is404()
    {
        using var get = await app.Http.GetAsync("/api/v1/faults/f-424242", Ct);
        await get.Problem(404);
        using var delete = await app.Http.DeleteAsync("/api/v1/faults/f-424242", Ct);
        await delete.Problem(404);
    }

    [Fact]
    public async Task Events_PageBySequence_AndRejectBadQueries()
    {
        var start = await LastSequence();
        await InjectGpuXid("north/gpu/h0001-0", 48);
        await InjectGpuXid("north/gpu/h0001-1", 48);
        var page = await app.Http.GetJson($"/api/v1/events?since={start}&kind=fault-injected&site=north");
        var seqs = page["items"]!.AsArray().Select(e => (long)e!["sequence"]!).ToList();
        Assert.Equal(2, seqs.Count);
        Assert.True(seqs[0] < seqs[1]);
        Assert.All(page["items"]!.AsArray(), e => Assert.Equal("north", (string?)e!["site"]));

        using var bad = await app.Http.GetAsync("/api/v1/events?since=-1", Ct);
        await bad.Problem(400);
        using var badLimit = await app.Http.GetAsync("/api/v1/events?limit=100000", Ct);
        await badLimit.Problem(400);
    }

    [Fact]
    public async Task Sse_CarriesAFault_AndResumesFromLastEventId_WithExactlyTheMissedEvents()
    {
        var start = await LastSequence();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(30));

        // a live reader sees the fault
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/events/stream?kind=fault-injected");
        using var live = await app.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal("text/event-stream", live.Content.Headers.ContentType?.MediaType);
        var reader = new SseReader(await live.Content.ReadAsStreamAsync(cts.Token));
        var fault = await InjectGpuXid("east/gpu/h0020-4", 79);
        var first = await reader.Next(cts.Token);
        Assert.Equal("fault-injected", first.Event);
        Assert.Equal((string?)fault["id"], (string?)JsonNode.Parse(first.Data)!["faultId"]);

        // three more while "disconnected", then resume from the first one's id
        var missed = new List<string>();
        for (var g = 5; g < 8; g++)
        {
            missed.Add((string)(await InjectGpuXid($"east/gpu/h0020-{g}", 79))["id"]!);
        }
        using var resumeRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events/stream?kind=fault-injected");
        resumeRequest.Headers.Add("Last-Event-ID", first.Id);
        using var resumed = await app.Http.SendAsync(resumeRequest, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        var resumeReader = new SseReader(await resumed.Content.ReadAsStreamAsync(cts.Token));
        var got = new List<SseMessage>();
        for (var i = 0; i < 3; i++)
        {
            got.Add(await resumeReader.Next(cts.Token));
        }
        Assert.Equal(missed, got.Select(m => (string?)JsonNode.Parse(m.Data)!["faultId"]));
        var ids = got.Select(m => long.Parse(m.Id)).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.True(ids[0] > long.Parse(first.Id));
        Assert.True(ids[0] > start);

        // and nothing else is pending: the next message is a new fault, not a duplicate
        var later = await InjectGpuXid("east/gpu/h0021-0", 79);
        var next = await resumeReader.Next(cts.Token);
        Assert.Equal((string?)later["id"], (string?)JsonNode.Parse(next.Data)!["faultId"]);
    }

    [Fact]
    public async Task Sse_RejectsAMalformedLastEventId()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events/stream");
        request.Headers.Add("Last-Event-ID", "yesterday");
        using var response = await app.Http.SendAsync(request, Ct);
        await response.Problem(400);
    }

    [Fact]
    public async Task FaultKinds_AreListed()
    {
        var kinds = (await app.Http.GetJson("/api/v1/faults/kinds"))["items"]!.AsArray().Select(k => (string?)k!["name"]).ToList();
        foreach (var kind in new[] { "gpu-xid", "gpu-thermal", "hbm-error", "nvlink-down", "optic-degrade", "link-down", "link-flap",
                     "switch-down", "switch-port-down", "host-power-loss", "storage-down", "storage-slow", "dpu-failure", "dci-cut",
                     "dci-degrade", "site-power-loss" })
        {
            Assert.Contains(kind, kinds);
        }
    }
}
