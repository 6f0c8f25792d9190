using Twin.Model.Devices;
using Twin.Model.Inventory;
using Twin.Model.Tests.Scenarios;
using Twin.Model.Topology;

namespace Twin.Model.Tests.Inventory;

public sealed class InventoryDocumentTests
{
    private static TopologySpec Demo => TopologyLoader.LoadFile(ScenarioFiles.Repo("scenarios/topologies/demo.yaml"));

    [Fact]
    public void Demo_generates_through_its_inventory_with_the_same_ids()
    {
        var topology = TopologyGenerator.Generate(Demo);
        Assert.Equal(3635, topology.Devices.Count);
        Assert.NotNull(topology.Inventory);
        var gpu = topology.Find("east/gpu/h0012-3")!;
        Assert.Equal(("h0012", 3, 12, 400.0), (gpu.Host, gpu.Index, gpu.NvlinkDomain, gpu.SpeedGbps));
        var link = topology.Find("east/link/h0012-3:leaf-03")!;
        Assert.Equal(("east/gpu/h0012-3", "east/switch/leaf-03", "gpu-leaf"), (link.EndpointA, link.EndpointB, link.Tier));
        Assert.NotNull(topology.Find("east/link/leaf-03:spine-01"));
        Assert.NotNull(topology.Find("east/storage/s04"));
        Assert.NotNull(topology.Find("east/dpu/h0012"));
        Assert.NotNull(topology.Find("dci/east-west-1"));
        // GB200 trays: 18 four-GPU trays share one NVL72 domain
        Assert.Equal(1, topology.Find("north/gpu/h0018-0")!.NvlinkDomain);
        Assert.Equal(Enumerable.Range(0, topology.Devices.Count), topology.Devices.Select(d => d.Ordinal));
        Assert.True(topology.TryResolveHost("east-h0012", out var site, out var host));
        Assert.Equal(("east", "h0012"), (site, host));
        // h0012 exists in every site, so the bare name names none of them
        Assert.False(topology.TryResolveHost("h0012", out _, out _));
    }

    [Fact]
    public void Yaml_and_json_round_trip_to_the_same_devices()
    {
        var generated = InventoryGenerator.Generate(Demo);
        var fromJson = InventorySerializer.ReadJson(InventorySerializer.WriteJson(generated));
        var fromYaml = InventorySerializer.ReadYaml(InventorySerializer.WriteYaml(generated));
        var expected = InventoryConverter.ToTopology(generated).Devices;
        Assert.Equal(expected, InventoryConverter.ToTopology(fromJson).Devices);
        Assert.Equal(expected, InventoryConverter.ToTopology(fromYaml).Devices);
        // the derived site summary of a regular generated site matches the spec it came from
        var derived = InventoryConverter.ToTopology(fromYaml).Spec.Sites[0];
        var spec = Demo.Sites[0];
        Assert.Equal((spec.Hosts, spec.GpusPerHost, spec.GpuModel, spec.NvlinkDomain, spec.NicGbps, spec.Dpus),
            (derived.Hosts, derived.GpusPerHost, derived.GpuModel, derived.NvlinkDomain, derived.NicGbps, derived.Dpus));
        Assert.Equal(spec.Storage, derived.Storage);
    }

    [Fact]
    public void Hand_written_yaml_inventory()
    {
        const string yaml = """
            name: lab
            sites:
              - name: east
                network: ethernet
                hosts:
                  - name: dgx-a17-03
                    aliases: [dgx-a17-03.lab.example, i-030791dc5a37cd257]
                    rack: a17
                    gpus:
                      - { index: 0, uuid: GPU-aaaa, model: H100-SXM5-80GB }
                      - { index: 1, uuid: GPU-bbbb, model: H100-SXM5-80GB }
                    nics:
                      - { name: mlx5_0, rail: 0, guid: "0xe09d7303007a4bd8", speedGbps: 400 }
                      - { name: mlx5_1, rail: 1, mac: "b8:ce:f6:00:00:01", speedGbps: 400 }
                    dpu: { model: bluefield-3 }
                switches:
                  - { name: leaf-a, tier: leaf, model: SN5600, silicon: Spectrum-4, siliconTbps: 51.2, portGbps: 800, ports: 64 }
                  - { name: spine-a, model: SN5600, portGbps: 800, ports: 64 }
                cables:
                  - { a: { device: dgx-a17-03, port: mlx5_0 }, b: { device: leaf-a, port: swp1 }, optics: dac, lengthM: 2 }
                  - { a: { device: dgx-a17-03, port: mlx5_1 }, b: { device: leaf-a, port: swp2 } }
                  - { a: { device: spine-a, port: swp1 }, b: { device: leaf-a, port: swp63 }, optics: lpo, lengthM: 30 }
                  - { a: { device: leaf-a, port: swp64 }, b: { device: spine-a, port: swp2 } }
                  - { a: { device: leaf-a, port: swp10 }, b: { device: leaf-a, port: swp11 } }
                storage:
                  - { name: vast-01, tier: hot, capacityTB: 600, readGBps: 60, writeGBps: 20 }
            """;
        var conversion = InventoryConverter.Convert(InventorySerializer.ReadYaml(yaml));
        var t = conversion.Topology;
        Assert.Equal(2, t.Count("east", DeviceKind.Gpu));
        Assert.Equal(1, t.Count("east", DeviceKind.Dpu));
        Assert.Equal(4, t.Count("east", DeviceKind.Link));
        var uplink = t.Find("east/link/leaf-a:spine-a")!;
        Assert.Equal(("east/switch/leaf-a", "east/switch/spine-a", "leaf-spine", 800.0, 30.0), (uplink.EndpointA, uplink.EndpointB, uplink.Tier, uplink.SpeedGbps, uplink.LengthM));
        Assert.NotNull(t.Find("east/link/leaf-a:spine-a.2"));
        Assert.Equal(400, t.Find("east/link/dgx-a17-03-0:leaf-a")!.SpeedGbps);
        Assert.Equal("spine", t.Find("east/switch/spine-a")!.Tier);
        Assert.Single(conversion.Warnings, w => w.Message.Contains("loopback") && w.Path == "sites[0].cables[4]");
        Assert.True(t.TryResolveHost("i-030791dc5a37cd257", out _, out var host));
        Assert.Equal("dgx-a17-03", host);
        Assert.True(t.TryResolveHost("east-dgx-a17-03", out _, out _));
    }

    [Fact]
    public void Invalid_inventories_name_the_field()
    {
        var unknown = Assert.Throws<InventoryException>(() => InventorySerializer.ReadYaml("sites:\n  - name: east\n    hostz: []\n"));
        Assert.Contains("hostz", unknown.Message);
        var badEnum = Assert.Throws<InventoryException>(() => InventorySerializer.ReadJson("""{"sites":[{"name":"east","storage":[{"name":"s","tier":"warm"}]}]}"""));
        Assert.Contains("$.sites[0].storage[0].tier", badEnum.Issues[0].Path);
        var dup = Assert.Throws<InventoryException>(() => InventoryConverter.ToTopology(InventorySerializer.ReadYaml("""
            sites:
              - name: east
                hosts: [{ name: a }]
                switches: [{ name: a }]
            """)));
        Assert.Contains("sites[0].switches[0].name", dup.Issues[0].Path);
        var badName = Assert.Throws<InventoryException>(() => InventoryConverter.ToTopology(InventorySerializer.ReadYaml("sites:\n  - name: east\n    hosts: [{ name: 'a/b' }]\n")));
        Assert.Contains("cannot be part of an id", badName.Message);
        Assert.Throws<InventoryException>(() => InventorySerializer.ReadYaml("sites: [\n"));
    }

    [Fact]
    public void Schema_describes_the_document()
    {
        var schema = InventorySerializer.Schema();
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)schema["$schema"]);
        var site = schema["properties"]!["sites"]!["items"]!;
        Assert.Contains("name", site["required"]!.AsArray().Select(n => (string?)n));
        Assert.NotNull(site["properties"]!["hosts"]!["items"]!["properties"]!["gpus"]);
        var tiers = site["properties"]!["storage"]!["items"]!["properties"]!["tier"]!["enum"]!.AsArray().Select(n => (string?)n);
        Assert.Equal(["hot", "capacity"], tiers);
    }
}
