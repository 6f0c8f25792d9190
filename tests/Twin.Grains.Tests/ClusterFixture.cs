using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using Twin.Contracts.Streams;
using Twin.Grains.Hosting;
using Twin.Model.Topology;

namespace Twin.Grains.Tests;

/// <summary>A two-silo TestingHost cluster with memory streams and a small two-site topology.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const string TopologyYaml = """
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

    public static FactoryTopology Topology { get; } = TopologyGenerator.Generate(TopologyLoader.Parse(TopologyYaml));

    public TestCluster Cluster { get; } = new TestClusterBuilder(2).AddSiloBuilderConfigurator<SiloConfigurator>().Build();

    public IGrainFactory Grains => Cluster.GrainFactory;

    public ValueTask InitializeAsync() => new(Cluster.DeployAsync());

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();

    private sealed class SiloConfigurator : ISiloConfigurator
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

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
