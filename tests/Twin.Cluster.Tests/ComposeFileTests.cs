using YamlDotNet.RepresentationModel;

namespace Twin.Cluster.Tests;

/// <summary>docker-compose.yml cannot run here (no Docker daemon), so its shape is checked against the silo's configuration keys.</summary>
public sealed class ComposeFileTests
{
    private static YamlMappingNode Services()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(TwinClusterFixture.RepoFile("docker-compose.yml"));
        yaml.Load(reader);
        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    private static Dictionary<string, string> Environment(YamlMappingNode service) =>
        ((YamlMappingNode)service["environment"]).Children.ToDictionary(k => ((YamlScalarNode)k.Key).Value!, v => ((YamlScalarNode)v.Value).Value!);

    [Fact]
    public void Compose_RunsPostgresAndTwoSilos_InTheClusterProfile()
    {
        var services = Services();
        var names = services.Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToList();
        Assert.Contains("postgres", names);
        Assert.Contains("silo1", names);
        Assert.Contains("silo2", names);
        foreach (var silo in new[] { "silo1", "silo2" })
        {
            var env = Environment((YamlMappingNode)services[silo]);
            // environment names are configuration keys with ':' written '__'
            Assert.Equal("cluster", env["Twin__Mode"]);
            Assert.Contains("Host=postgres", env["ConnectionStrings__Twin"], StringComparison.Ordinal);
            Assert.Equal(silo, env["Twin__AdvertisedAddress"]);
            // the container binds 0.0.0.0, where a silo without a key refuses to start
            Assert.Contains("TWIN_ADMIN_KEY", env["Twin__Auth__Keys__0__Key"], StringComparison.Ordinal);
            Assert.Equal("admin", env["Twin__Auth__Keys__0__Roles__0"]);
            Assert.True(int.TryParse(env["Twin__SiloPort"], out _));
            Assert.True(int.TryParse(env["Twin__GatewayPort"], out _));
        }
    }

    [Fact]
    public void Compose_SilosPublishDistinctHttpPorts_AndObservabilityIsOptional()
    {
        var services = Services();
        var published = new[] { "silo1", "silo2" }
            .Select(s => ((YamlSequenceNode)((YamlMappingNode)services[s])["ports"]).Children.Select(p => ((YamlScalarNode)p).Value!.Split(':')[0]).Single())
            .ToList();
        Assert.Equal(published.Count, published.Distinct().Count());
        foreach (var optional in new[] { "prometheus", "grafana" })
        {
            var profiles = (YamlSequenceNode)((YamlMappingNode)services[optional])["profiles"];
            Assert.Contains(profiles.Children, p => ((YamlScalarNode)p).Value == "observability");
        }
    }

    [Fact]
    public void Compose_ConnectionString_MatchesThePostgresService()
    {
        var services = Services();
        var pg = Environment((YamlMappingNode)services["postgres"]);
        var cs = Environment((YamlMappingNode)services["silo1"])["ConnectionStrings__Twin"];
        Assert.Contains($"Username={pg["POSTGRES_USER"]}", cs, StringComparison.Ordinal);
        Assert.Contains($"Password={pg["POSTGRES_PASSWORD"]}", cs, StringComparison.Ordinal);
        Assert.Contains($"Database={pg["POSTGRES_DB"]}", cs, StringComparison.Ordinal);
    }
}
