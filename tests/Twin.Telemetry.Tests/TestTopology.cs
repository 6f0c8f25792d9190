using Twin.Model.Topology;
using Twin.Telemetry.Mapping;

namespace Twin.Telemetry.Tests;

/// <summary>A two-site factory small enough to reason about: east has 4 hosts × 8 H100s (one radix-128 leaf joins all 32), west 2 GB200 trays.</summary>
internal static class TestTopology
{
    public const string Yaml = """
        name: test
        sites:
          - name: east
            hosts: 4
            gpusPerHost: 8
            gpuModel: H100-SXM5-80GB
            nvlinkDomain: 8
            nicGbps: 400
            fabric:
              network: infiniband
              siliconTbps: 51.2
              portGbps: 400
              railOptimised: true
              gpuLeaf:   { optics: dac, lengthM: 3 }
              leafSpine: { optics: dsp, lengthM: 50 }
          - name: west
            hosts: 2
            gpusPerHost: 4
            gpuModel: GB200
            nvlinkDomain: 72
            nicGbps: 800
            fabric:
              network: ethernet
              siliconTbps: 102.4
              portGbps: 200
              gpuLeaf:   { optics: cpo, lengthM: 30 }
        """;

    public static readonly FactoryTopology Topology = TopologyGenerator.Generate(TopologyLoader.Parse(Yaml));

    public static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    public static TelemetryMapper Mapper(TelemetryMappingOptions? options = null) => new(Topology, options);
}
