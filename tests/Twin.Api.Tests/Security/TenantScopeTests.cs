using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Twin.Api.Tests.Security;

/// <summary>A tenant-scoped key sees its tenant's devices, events and jobs; everything else is 404 or filtered out.</summary>
public sealed class TenantScopeTests
{
    private const string Admin = "tenant-test-admin-key-0af3";
    private const string Acme = "tenant-test-acme-key-91c2";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // an admin key, and an operator key scoped to tenant acme
    private static Task<TwinTestHost> StartTwin() => TwinTestHost.Start(
    [
        $"--Twin:Auth:Keys:0:Key={Admin}", "--Twin:Auth:Keys:0:Roles:0=admin",
        $"--Twin:Auth:Keys:1:Key={Acme}", "--Twin:Auth:Keys:1:Roles:0=operator", "--Twin:Auth:Keys:1:Tenant=acme",
    ]);

    private static HttpRequestMessage As(string key, HttpMethod method, string url, object? body = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-Api-Key", key);
        return request;
    }

    [Fact]
    public async Task AnotherTenantsDevice_Is404_AndListsAndEventsShowOnlyTheTenants()
    {
        await using var host = await StartTwin();
        async Task<HttpResponseMessage> Send(string key, HttpMethod method, string url, object? body = null)
        {
            using var request = As(key, method, url, body);
            return await host.Http.SendAsync(request, Ct);
        }
        (await Send(Admin, HttpMethod.Put, "/api/v1/tenants/acme", new { members = new[] { "west/host/h0001" } })).EnsureSuccessStatusCode();
        (await Send(Admin, HttpMethod.Put, "/api/v1/tenants/globex", new { members = new[] { "west/host/h0002" } })).EnsureSuccessStatusCode();

        using var own = await Send(Acme, HttpMethod.Get, "/api/v1/devices/west%2Fgpu%2Fh0001-0");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        using var theirs = await Send(Acme, HttpMethod.Get, "/api/v1/devices/west%2Fgpu%2Fh0002-0");
        var problem = await theirs.Problem(404); // not 403: a scoped key cannot tell another tenant's device from none
        using var none = await Send(Acme, HttpMethod.Get, "/api/v1/devices/west%2Fgpu%2Fh9999-0");
        Assert.Equal((string?)(await none.Problem(404))["title"], (string?)problem["title"]);
        using var admin = await Send(Admin, HttpMethod.Get, "/api/v1/devices/west%2Fgpu%2Fh0002-0");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);

        using var list = await Send(Acme, HttpMethod.Get, "/api/v1/devices?limit=1000");
        var items = (await list.Body())["items"]!.AsArray().Select(i => (string)i!["id"]!).ToList();
        Assert.Equal(9, items.Count); // h0001's 8 GPUs and its DPU
        Assert.All(items, id => Assert.Contains("/h0001", id));

        // a fault on each tenant's GPU: acme's key sees only its own in the event history
        foreach (var gpu in new[] { "west/gpu/h0001-3", "west/gpu/h0002-3" })
        {
            (await Send(Admin, HttpMethod.Post, "/api/v1/faults", new { kind = "gpu-xid", target = gpu, parameters = new { xid = "79" } })).EnsureSuccessStatusCode();
        }
        using var events = await Send(Acme, HttpMethod.Get, "/api/v1/events?limit=1000");
        var devices = (await events.Body())["items"]!.AsArray().Select(e => (string?)e!["deviceId"]).ToList();
        Assert.Contains("west/gpu/h0001-3", devices);
        Assert.DoesNotContain("west/gpu/h0002-3", devices);
        Assert.All(devices, d => Assert.NotNull(d));
    }

    [Fact]
    public async Task AnotherTenantsJob_Is404_AndTheJobListIsFiltered()
    {
        await using var host = await StartTwin();
        async Task<JsonNode> Json(string key, HttpMethod method, string url, object? body = null)
        {
            using var request = As(key, method, url, body);
            using var response = await host.Http.SendAsync(request, Ct);
            response.EnsureSuccessStatusCode();
            return await response.Body();
        }
        // no host is acme's: the admin's job runs on hosts acme cannot see
        await Json(Admin, HttpMethod.Put, "/api/v1/tenants/acme", new { members = new[] { "north/host/h0070" } });
        var job = await Json(Admin, HttpMethod.Post, "/api/v1/jobs", new { name = "not-yours", gpus = 8, sites = new[] { "east" }, parallelism = new { tp = 8, pp = 1, dp = 1 } });
        Assert.Empty((await Json(Acme, HttpMethod.Get, "/api/v1/jobs"))["items"]!.AsArray());
        using var request = As(Acme, HttpMethod.Get, $"/api/v1/jobs/{(string)job["id"]!}");
        using var response = await host.Http.SendAsync(request, Ct);
        await response.Problem(404);
    }
}
