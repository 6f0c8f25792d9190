using Microsoft.Extensions.Configuration;
using Twin.Silo.Hosting;
using YamlDotNet.RepresentationModel;

namespace Twin.Api.Tests.Deploy;

/// <summary>
/// deploy/kubernetes cannot be applied here (no cluster), so its manifests are read and checked against what the
/// silo really reads: its configuration keys bind, its ports and probe path are the ones it serves, and every
/// selector, secret and account they name exists.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string Folder = TwinAppFixture.RepoFile("deploy/kubernetes");

    private static List<YamlMappingNode> Documents(string file)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Folder, file));
        yaml.Load(reader);
        return [.. yaml.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static YamlMappingNode Kind(string kind) =>
        Directory.GetFiles(Folder, "*.yaml").SelectMany(f => Documents(Path.GetFileName(f))).Single(d => Text(d, "kind") == kind);

    private static string? Text(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }
            node = next;
        }
        return (node as YamlScalarNode)?.Value;
    }

    private static YamlNode Node(YamlNode node, params string[] path) =>
        path.Aggregate(node, (n, key) => ((YamlMappingNode)n)[key]);

    private static IEnumerable<YamlMappingNode> Items(YamlNode node, params string[] path) =>
        ((YamlSequenceNode)Node(node, path)).Children.Cast<YamlMappingNode>();

    private static Dictionary<string, string> Labels(YamlNode node, params string[] path) =>
        ((YamlMappingNode)Node(node, path)).Children.ToDictionary(k => ((YamlScalarNode)k.Key).Value!, v => ((YamlScalarNode)v.Value).Value!);

    private static YamlMappingNode Silo => Kind("Deployment");

    private static YamlMappingNode Container => Items(Silo, "spec", "template", "spec", "containers").Single();

    private static List<YamlMappingNode> Env => [.. Items(Container, "env")];

    [Fact]
    public void TheSilosEnvironment_BindsToItsOwnOptions_InTheClusterProfile_OnKubernetes()
    {
        // literal values only; the ones from secrets and the downward API are checked below
        var values = Env.Where(e => Text(e, "value") is not null)
            .ToDictionary(e => Text(e, "name")!.Replace("__", ":", StringComparison.Ordinal), e => Text(e, "value"));
        // the secret-held admin key stands in as a placeholder: only its name is checked here
        values["Twin:Auth:Keys:0:Key"] = "placeholder";
        var twin = new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("Twin");
        var options = new TwinHostOptions();
        // each section binds to the options class the silo binds it to, and a misspelt key fails
        var host = new ConfigurationBuilder().AddInMemoryCollection(values.Where(kv => kv.Key.Count(c => c == ':') == 1)).Build();
        host.GetSection("Twin").Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        var synthetic = new Twin.Grains.Synthetic.SyntheticTelemetryOptions();
        twin.GetSection("Synthetic").Bind(synthetic, o => o.ErrorOnUnknownConfiguration = true);
        var auth = new Twin.Api.Security.AuthOptions();
        twin.GetSection("Auth").Bind(auth, o => o.ErrorOnUnknownConfiguration = true);
        Assert.False(synthetic.Enabled);
        Assert.Contains("admin", Assert.Single(auth.Keys).Roles);

        Assert.True(options.IsCluster);
        Assert.True(options.InKubernetes);
        Assert.True(File.Exists(TwinAppFixture.RepoFile(options.Topology)), options.Topology);
        var ports = Items(Container, "ports").ToDictionary(p => Text(p, "name")!, p => int.Parse(Text(p, "containerPort")!));
        Assert.Equal(options.SiloPort, ports["silo"]);
        Assert.Equal(options.GatewayPort, ports["gateway"]);
        // the image serves HTTP on the port its Dockerfile sets
        var dockerfile = File.ReadAllText(TwinAppFixture.RepoFile("silos/Twin.Silo/Dockerfile"));
        Assert.Contains($"ASPNETCORE_URLS=http://0.0.0.0:{ports["http"]}", dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void OrleansLabels_MatchTheSilosClusterAndServiceIds()
    {
        var labels = Labels(Silo, "spec", "template", "metadata", "labels");
        var env = Env.ToDictionary(e => Text(e, "name")!, e => e);
        Assert.Equal(Text(env["Twin__ClusterId"], "value"), labels["orleans/clusterId"]);
        Assert.Equal(Text(env["Twin__ServiceId"], "value"), labels["orleans/serviceId"]);
        Assert.Equal("metadata.labels['orleans/clusterId']", Text(env["ORLEANS_CLUSTER_ID"], "valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("metadata.labels['orleans/serviceId']", Text(env["ORLEANS_SERVICE_ID"], "valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("status.podIP", Text(env["POD_IP"], "valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("metadata.name", Text(env["POD_NAME"], "valueFrom", "fieldRef", "fieldPath"));
    }

    [Fact]
    public void ProbesAsk_Healthz_OnTheHttpPort()
    {
        foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
        {
            Assert.Equal("/healthz", Text(Container, probe, "httpGet", "path"));
            Assert.Equal("http", Text(Container, probe, "httpGet", "port"));
        }
    }

    [Fact]
    public void SecretsAccountsAndSelectors_AllResolve()
    {
        var secret = Documents("secret.example.yaml").Single();
        var keys = ((YamlMappingNode)Node(secret, "stringData")).Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToHashSet();
        var refs = Env.Where(e => Text(e, "valueFrom", "secretKeyRef", "name") is not null).ToList();
        Assert.Equal(2, refs.Count); // the connection string and the admin key never sit in the manifest
        Assert.All(refs, e =>
        {
            Assert.Equal(Text(secret, "metadata", "name"), Text(e, "valueFrom", "secretKeyRef", "name"));
            Assert.Contains(Text(e, "valueFrom", "secretKeyRef", "key"), keys);
        });

        var podLabels = Labels(Silo, "spec", "template", "metadata", "labels");
        foreach (var selector in new[] { Labels(Silo, "spec", "selector", "matchLabels"), Labels(Kind("Service"), "spec", "selector"), Labels(Kind("PodDisruptionBudget"), "spec", "selector", "matchLabels") })
        {
            Assert.All(selector, kv => Assert.Equal(kv.Value, podLabels[kv.Key]));
        }
        Assert.Equal("http", Text(Items(Kind("Service"), "spec", "ports").Single(), "targetPort"));

        Assert.Equal(Text(Kind("ServiceAccount"), "metadata", "name"), Text(Silo, "spec", "template", "spec", "serviceAccountName"));
        var rule = Items(Kind("Role"), "rules").Single();
        var verbs = ((YamlSequenceNode)Node(rule, "verbs")).Children.Select(v => ((YamlScalarNode)v).Value).ToList();
        Assert.Equal(["get", "list", "watch", "delete"], verbs);
    }

    [Fact]
    public void Rollouts_NeverDropASilo_AndTheKustomizationListsEveryManifest()
    {
        Assert.Equal("0", Text(Silo, "spec", "strategy", "rollingUpdate", "maxUnavailable"));
        Assert.Equal("1", Text(Kind("PodDisruptionBudget"), "spec", "maxUnavailable"));
        Assert.True(int.Parse(Text(Silo, "spec", "template", "spec", "terminationGracePeriodSeconds")!) >= 30);
        var listed = ((YamlSequenceNode)Node(Documents("kustomization.yaml").Single(), "resources")).Children.Select(r => ((YamlScalarNode)r).Value).ToHashSet();
        var files = Directory.GetFiles(Folder, "*.yaml").Select(Path.GetFileName)
            .Where(f => f is not ("kustomization.yaml" or "secret.example.yaml")).ToHashSet();
        Assert.Equal(files, listed);
    }
}
