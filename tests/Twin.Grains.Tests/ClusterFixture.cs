using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using Twin.Contracts.Streams;
using Twin.Grains.Hosting;
using Twin.Model.Topology;

namespace Twin.Grains.Tests;

/// <summary>A topology for a test cluster.</summary>
public interface ITestTopology
{
    static abstract string Yaml { get; }
}

/// <summary>A two-silo TestingHost cluster with memory streams and the grains' services over a given topology.</summary>
public abstract class TwinClusterFixture<T> : IAsyncLifetime where T : ITestTopology
{
    public static FactoryTopology Topology { get; } = TopologyGenerator.Generate(TopologyLoader.Parse(T.Yaml));

    public TestCluster Cluster { get; } = new TestClusterBuilder(2).AddSiloBuilderConfigurator<SiloConfigurator>().Build();

    public IGrainFactory Grains => Cluster.GrainFactory;

    public ValueTask InitializeAsync() => new(Cluster.DeployAsync());

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();

    public sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var config = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Twin:Synthetic:Enabled"] = "false" })
                .Build();
            silo.AddMemoryGrainStorage("PubSubStore");
            silo.AddMemoryGrainStorage(Twin.Grains.Persistence.TwinStorage.Name);
            silo.AddMemoryStreams(TwinStreams.Provider);
            silo.Services.AddTwinGrains(Topology, config.GetSection("Twin"));
        }
    }
}

/// <summary>Two small sites joined by two 800G DCI links: east 4 hosts (radix 16, two tiers), west 2 hosts (radix 8).</summary>
public sealed class ClusterFixture : TwinClusterFixture<ClusterFixture.Sites>
{
    public sealed class Sites : ITestTopology
    {
        public static string Yaml => """
            name: test
            sites:
              - name: east
                hosts: 4
                gpusPerHost: 8
                fabric: { radix: 16, gpuLeaf: { optics: dac }, leafSpine: { optics: lpo } }
                storage:
                  - { tier: hot, nodes: 2, capacityTB: 100, readGBps: 40, writeGBps: 20 }
              - name: west
                hosts: 2
                gpusPerHost: 8
                fabric: { radix: 8 }
            dci:
              - { a: east, b: west, distanceKm: 400, bandwidthGbps: 800, links: 2 }
            """;
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
