using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Twin.Silo.Hosting;

namespace Twin.Api.Tests;

/// <summary>The silo scrapes a real HTTP endpoint serving dcgm-exporter text, and reports a dead one as down.</summary>
public sealed class ScrapeTests
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ScrapedDcgmExporter_UpdatesGpus_AndTargetHealthIsVisible()
    {
        // a stand-in dcgm-exporter on loopback
        var exporterBuilder = WebApplication.CreateSlimBuilder();
        exporterBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        exporterBuilder.Logging.ClearProviders();
        await using var exporter = exporterBuilder.Build();
        exporter.MapGet("/metrics", () => Results.Text("""
            # HELP DCGM_FI_DEV_GPU_TEMP GPU temperature (in C).
            # TYPE DCGM_FI_DEV_GPU_TEMP gauge
            DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-aa",Hostname="north-h0009",modelName="NVIDIA GB200"} 88
            DCGM_FI_DEV_GPU_TEMP{gpu="1",UUID="GPU-ab",Hostname="north-h0009",modelName="NVIDIA GB200"} 52
            """, "text/plain; version=0.0.4"));
        await exporter.StartAsync(Ct);
        var exporterUrl = exporter.BoundAddress().ToString().TrimEnd('/');
        var deadPort = TwinAppFixture.FreePort();

        await using var twin = TwinHost.Build(
        [
            "--urls", "http://127.0.0.1:0",
            $"--Twin:Topology={TwinAppFixture.RepoFile("scenarios/topologies/demo.yaml")}",
            $"--Twin:SiloPort={TwinAppFixture.FreePort()}",
            $"--Twin:GatewayPort={TwinAppFixture.FreePort()}",
            "--Twin:Synthetic:Enabled=false",
            "--Logging:LogLevel:Default=Warning",
            "--Twin:Scrape:Targets:0:Name=dcgm-north-h0009",
            $"--Twin:Scrape:Targets:0:Url={exporterUrl}/metrics",
            "--Twin:Scrape:Targets:0:Interval=00:00:00.200",
            "--Twin:Scrape:Targets:1:Name=dead",
            $"--Twin:Scrape:Targets:1:Url=http://127.0.0.1:{deadPort}/metrics",
            "--Twin:Scrape:Targets:1:Interval=00:00:00.200",
            "--Twin:Scrape:Targets:1:Timeout=00:00:01",
        ]);
        await twin.StartAsync(Ct);
        var address = twin.BoundAddress();
        using var http = new HttpClient { BaseAddress = address };

        var gpu = await Poll(http, "/api/v1/devices/north%2Fgpu%2Fh0009-0", g => g["metrics"]?["temperature_c"] is not null);
        Assert.Equal(88, (double)gpu["metrics"]!["temperature_c"]!);
        Assert.Equal("degraded", (string?)gpu["health"]);

        var targets = await Poll(http, "/api/v1/telemetry/scrape-targets",
            t => t["items"]!.AsArray().All(i => (string?)i!["health"] != "unknown"));
        var items = targets["items"]!.AsArray();
        var up = items.Single(i => (string?)i!["name"] == "dcgm-north-h0009")!;
        Assert.Equal("up", (string?)up["health"]);
        Assert.Equal(2, (int)up["lastAccepted"]!);
        var dead = items.Single(i => (string?)i!["name"] == "dead")!;
        Assert.Equal("down", (string?)dead["health"]);
        Assert.False(string.IsNullOrEmpty((string?)dead["lastError"]));
        await twin.StopAsync(Ct);
        await exporter.StopAsync(Ct);
    }

    private async Task<System.Text.Json.Nodes.JsonNode> Poll(HttpClient http, string url, Func<System.Text.Json.Nodes.JsonNode, bool> done)
    {
        for (var i = 0; ; i++)
        {
            var body = await http.GetJson(url);
            if (done(body))
            {
                return body;
            }
            Assert.True(i < 500, $"{url} never satisfied the condition: {body.ToJsonString()}");
            await Task.Delay(20, Ct);
        }
    }
}
