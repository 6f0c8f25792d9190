using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Twin.Api.Tests;

/// <summary>
/// Bring your own factory, end to end on a twin of its own (imports change the factory): a real NDR DGX H100
/// ibnetdiscover dump becomes a site whose GPUs mirror dcgm-exporter pushes; the real L4 scrape of an unknown host
/// lands in discovery, is adopted, then mirrored.
/// </summary>
public sealed class InventoryApiTests(TwinAppFixture twin) : IClassFixture<TwinAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Shared(string relative) => Path.GetFullPath(Path.Combine(TwinAppFixture.RepoFile(".."), "shared", "testdata", relative));

    [Fact]
    public async Task Imported_ibnetdiscover_site_is_served_and_mirrors_dcgm_pushes()
    {
        var http = twin.Http;
        var before = twin.Topology.Devices.Count;
        using var body = new ByteArrayContent(await File.ReadAllBytesAsync(Shared("topology/ibnetdiscover/NVIDIA-topograph_example.out"), Ct));
        using var response = await http.PostAsync("/api/v1/inventory/import?format=ibnetdiscover&site=dgxh100", body, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(40, report.GetProperty("parsed").GetProperty("switches").GetInt32());
        Assert.Equal(1114, report.GetProperty("parsed").GetProperty("links").GetInt32());
        var hostsAdded = report.GetProperty("changes").GetProperty("hosts").GetProperty("added").GetInt32();
        var gpusAdded = report.GetProperty("changes").GetProperty("gpus").GetProperty("added").GetInt32();
        Assert.True(hostsAdded > 100);
        Assert.Contains(report.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("message").GetString()!.Contains("has no host name"));
        Assert.True(report.GetProperty("devices").GetInt32() > before);

        // the site is counted by its coordinator and by the factory
        var site = await http.GetFromJsonAsync<JsonElement>("/api/v1/sites/dgxh100", Ct);
        Assert.Equal(gpusAdded, site.GetProperty("gpus").GetProperty("total").GetInt32());
        var factory = await http.GetFromJsonAsync<JsonElement>("/api/v1/factory", Ct);
        Assert.Contains(factory.GetProperty("sites").EnumerateArray(), s => s.GetProperty("name").GetString() == "dgxh100");

        // the inventory lists the real host with its adapters and rails
        var inventory = await http.GetFromJsonAsync<JsonElement>("/api/v1/inventory", Ct);
        var host = inventory.GetProperty("sites").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "dgxh100")
            .GetProperty("hosts").EnumerateArray().Single(h => h.GetProperty("name").GetString() == "a08-p1-dgx-04-c01");
        var mlx55 = host.GetProperty("nics").EnumerateArray().Single(n => n.GetProperty("name").GetString() == "mlx5_5");
        var rail = mlx55.GetProperty("rail").GetInt32();

        // dcgm-exporter text naming the real host: the GPU mirrors it
        var push = $$"""
            # TYPE DCGM_FI_DEV_GPU_TEMP gauge
            DCGM_FI_DEV_GPU_TEMP{gpu="{{rail}}",UUID="GPU-5d1e",modelName="NVIDIA H100 80GB HBM3",Hostname="a08-p1-dgx-04-c01"} 91
            """;
        using var pushed = await http.PostAsync("/api/v1/telemetry/prometheus", new StringContent(push + "\n", Encoding.UTF8, "text/plain"), Ct);
        var ingest = await pushed.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(1, ingest.GetProperty("accepted").GetInt64());
        // reachable without percent-encoding, as host/index and as the id itself
        var gpu = await http.GetFromJsonAsync<JsonElement>($"/api/v1/devices/dgxh100/gpu/a08-p1-dgx-04-c01/{rail}", Ct);
        Assert.Equal(91, gpu.GetProperty("metrics").GetProperty("temperature_c").GetDouble());
        Assert.Equal("degraded", gpu.GetProperty("health").GetString());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/v1/devices/dgxh100%2Fgpu%2Fa08-p1-dgx-04-c01-{rail}", Ct)).StatusCode);

        // a Pushgateway-style push names the host in the path; the adapter name maps through the inventory's rails
        var ib = "node_infiniband_port_data_received_bytes_total{device=\"mlx5_5\",port=\"1\"} 1000000000\n";
        using var gw = await http.PostAsync("/metrics/job/node/instance/a08-p1-dgx-04-c01", new StringContent(ib, Encoding.UTF8, "text/plain"), Ct);
        Assert.Equal(HttpStatusCode.OK, gw.StatusCode);
        Assert.Equal(1, (await gw.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accepted").GetInt64());

        var events = await http.GetFromJsonAsync<JsonElement>("/api/v1/events?kind=inventory-changed", Ct);
        Assert.Contains(events.GetProperty("items").EnumerateArray(), e => e.GetProperty("site").GetString() == "dgxh100");
    }

    [Fact]
    public async Task Unknown_host_is_discovered_adopted_then_mirrored()
    {
        var http = twin.Http;
        var scrape = await File.ReadAllBytesAsync(Shared("telemetry/dcgm-sample.prom"), Ct);
        using var first = await http.PostAsync("/api/v1/telemetry/prometheus", new ByteArrayContent(scrape), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        var problem = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(["i-030791dc5a37cd257"], problem.GetProperty("discoveredHosts").EnumerateArray().Select(h => h.GetString()));

        var discovered = await http.GetFromJsonAsync<JsonElement>("/api/v1/inventory/discovered", Ct);
        var entry = discovered.GetProperty("items").EnumerateArray().Single(h => h.GetProperty("host").GetString() == "i-030791dc5a37cd257");
        var gpu = Assert.Single(entry.GetProperty("gpus").EnumerateArray());
        Assert.Equal(0, gpu.GetProperty("index").GetInt32());
        Assert.Equal("GPU-c2f76b33-7953-256e-8f33-1343419b1a1c", gpu.GetProperty("uuid").GetString());
        Assert.Equal("NVIDIA L4", gpu.GetProperty("model").GetString());
        Assert.True(entry.GetProperty("samples").GetInt64() > 0);

        using var bad = await http.PostAsJsonAsync("/api/v1/inventory/discovered/i-030791dc5a37cd257/adopt", new { site = "Cloud Site" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var missing = await http.PostAsJsonAsync("/api/v1/inventory/discovered/no-such-host/adopt", new { site = "cloud" }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var adopt = await http.PostAsJsonAsync("/api/v1/inventory/discovered/i-030791dc5a37cd257/adopt", new { site = "cloud" }, Ct);
        Assert.Equal(HttpStatusCode.OK, adopt.StatusCode);

        using var again = await http.PostAsync("/api/v1/telemetry/prometheus", new ByteArrayContent(scrape), Ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var ingest = await again.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(ingest.GetProperty("accepted").GetInt64() > 0);
        Assert.Equal(0, ingest.GetProperty("unknownDevices").GetInt64());
        var device = await http.GetFromJsonAsync<JsonElement>("/api/v1/devices/cloud/gpu/i-030791dc5a37cd257/0", Ct);
        Assert.Equal("NVIDIA L4", device.GetProperty("attributes").GetProperty("model").GetString());
        Assert.Equal(210, device.GetProperty("metrics").GetProperty("sm_clock_mhz").GetDouble());
        var site = await http.GetFromJsonAsync<JsonElement>("/api/v1/sites/cloud", Ct);
        Assert.Equal(1, site.GetProperty("gpus").GetProperty("total").GetInt32());
        var left = await http.GetFromJsonAsync<JsonElement>("/api/v1/inventory/discovered", Ct);
        Assert.DoesNotContain(left.GetProperty("items").EnumerateArray(), h => h.GetProperty("host").GetString() == "i-030791dc5a37cd257");
    }

    [Fact]
    public async Task Push_names_its_host_and_bad_imports_are_problems()
    {
        var http = twin.Http;
        // node_exporter's real InfiniBand output has no host label: ?host= says which host pushed it
        var ib = await File.ReadAllBytesAsync(Shared("telemetry/node-exporter-infiniband.prom"), Ct);
        using var pushed = await http.PostAsync("/api/v1/telemetry/prometheus?host=east-h0001", new ByteArrayContent(ib), Ct);
        Assert.Equal(HttpStatusCode.OK, pushed.StatusCode);
        Assert.True((await pushed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accepted").GetInt64() > 0);
        using var extra = await http.PostAsync("/api/v1/telemetry/prometheus?extra_label=instance=east-h0002", new ByteArrayContent(ib), Ct);
        Assert.Equal(HttpStatusCode.OK, extra.StatusCode);

        using var format = await http.PostAsync("/api/v1/inventory/import?format=visio&site=a", new StringContent("x"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, format.StatusCode);
        Assert.Equal("format", (await format.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("field").GetString());
        using var site = await http.PostAsync("/api/v1/inventory/import?format=dot", new StringContent("graph g {}"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, site.StatusCode);
        using var binary = await http.PostAsync("/api/v1/inventory/import?format=ibnetdiscover&site=b", new ByteArrayContent([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, binary.StatusCode);
        Assert.Contains("binary", (await binary.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString());
        using var deep = await http.PostAsync("/api/v1/inventory/import?format=twin", new StringContent("{\"sites\":" + new string('[', 5000) + new string(']', 5000) + "}"), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, deep.StatusCode);

        var bisection = await http.GetFromJsonAsync<JsonElement>("/api/v1/inventory/sites/east/bisection", Ct);
        Assert.Equal(102_400, bisection.GetProperty("installed").GetProperty("gbps").GetDouble(), 3);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/v1/inventory/sites/nowhere/bisection", Ct)).StatusCode);

        var schema = await http.GetFromJsonAsync<JsonElement>("/api/v1/inventory/schema", Ct);
        Assert.Equal("AI Factory Twin inventory", schema.GetProperty("title").GetString());
        var yaml = await http.GetStringAsync("/api/v1/inventory?format=yaml", Ct);
        Assert.Contains("name: \"h0012\"", yaml);
    }

    [Fact]
    public async Task Cli_imports_into_the_running_twin_and_dry_run_checks_files()
    {
        string[] args = ["inventory", "import", "--format", "slurm", Shared("topology/slurm/NVIDIA-topograph_expected.slinky-oci-sim-tree.conf"),
            "--site", "hpc", "--url", twin.BaseAddress.ToString()];
        Assert.Equal(0, await Silo.Cli.TwinCommandLine.Create(args).Parse(args).InvokeAsync(cancellationToken: Ct));
        var site = await twin.Http.GetFromJsonAsync<JsonElement>("/api/v1/sites/hpc", Ct);
        Assert.Equal(96, site.GetProperty("gpus").GetProperty("total").GetInt32());
        Assert.NotNull(twin.Topology.Find("hpc/switch/switch.3.1"));

        string[] dry = ["inventory", "import", "--format", "ibnetdiscover", Shared("topology/slurm/NVIDIA-topograph_expected.slinky-oci-sim-tree.conf"),
            "--site", "x", "--dry-run"];
        Assert.Equal(2, await Silo.Cli.TwinCommandLine.Create(dry).Parse(dry).InvokeAsync(cancellationToken: Ct));
        Assert.False(twin.Topology.HasSite("x"));
    }
}
