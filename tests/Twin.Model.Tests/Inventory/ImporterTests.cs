using Twin.Model.Devices;
using Twin.Model.Inventory;
using Twin.Model.Inventory.Import;

namespace Twin.Model.Tests.Inventory;

public sealed class ImporterTests
{
    // switches, channel adapters and unique port-to-port links, as SOURCES.md lists them
    [Theory]
    [InlineData("HyungKwang-My-Programing_Topo.5_dgxa100_superpod.txt", 206, 1336, 3572)]
    [InlineData("HyungKwang-My-Programing_Topo.6_CS8500.txt", 192, 1182, 4144)]
    [InlineData("HyungKwang-My-Programing_Topo6_CS7500.txt", 174, 1644, 3443)]
    [InlineData("HyungKwang-My-Programing_Topo.1.txt", 4, 8, 12)]
    [InlineData("HyungKwang-My-Programing_Topo.8_invalid_lid_Null.txt", 4, 12, 16)]
    [InlineData("NVIDIA-topograph_example.out", 40, 582, 1114)]
    [InlineData("NVIDIA-topograph_example-bad.out", 0, 1, 0)]
    [InlineData("ltaulell-HPC_toolset_X5.topofile", 11, 89, 159)]
    [InlineData("loginoff-infiniband_topology_topo.txt", 8, 144, 192)]
    [InlineData("jabl-ibtopotool_1.topo", 2, 4, 7)]
    [InlineData("jabl-ibtopotool_2.topo", 1, 2, 2)]
    [InlineData("jabl-ibtopotool_3.topo", 2, 6, 10)]
    [InlineData("jabl-ibtopotool_4.topo", 1, 1, 1)]
    [InlineData("linux-rdma-ibsim_net.2sw2path4hca", 2, 4, 6)]
    [InlineData("linux-rdma-ibsim_net", 2, 2, 4)]
    public void Ibnetdiscover_counts_match_the_dumps(string file, int switches, int cas, int links)
    {
        var r = TopologySamples.Import(InventoryFormat.Ibnetdiscover, "east", "ibnetdiscover/" + file);
        Assert.Equal(switches, r.Parsed["switches"]);
        Assert.Equal(cas, r.Parsed["cas"]);
        Assert.Equal(links, r.Parsed["links"]);
        var site = Assert.Single(r.Inventory.Sites);
        Assert.Equal(switches, site.Switches.Count);
        // every link becomes a cable except loopbacks and those to SHARP aggregation nodes (one per switch)
        Assert.Equal(links - r.Parsed["selfLoops"] - r.Parsed["aggregationNodes"], site.Cables.Count);
        // the inventory converts: a link per cable whose ends are a GPU NIC or a switch
        var topology = InventoryConverter.ToTopology(r.Inventory);
        Assert.Equal(site.Hosts.Sum(h => h.Gpus.Count), topology.Count("east", DeviceKind.Gpu));
        Assert.Equal(switches, topology.Count("east", DeviceKind.Switch));
    }

    [Fact]
    public void Topograph_ndr_fabric_names_hosts_rails_and_unnamed_adapters()
    {
        var r = TopologySamples.Import(InventoryFormat.Ibnetdiscover, "east", "ibnetdiscover/NVIDIA-topograph_example.out");
        var site = r.Inventory.Sites[0];
        // 69 adapters keep the default description "MT4129 ConnectX7 Mellanox Technologies" (138 lines mention them:
        // each Ca block and its leaf's port line)
        Assert.Equal(69, r.Parsed["unnamedCas"]);
        Assert.Equal(40, r.Parsed["aggregationNodes"]);
        Assert.Equal(69, r.Warnings.Count(w => w.Message.Contains("has no host name")));
        Assert.All(r.Warnings.Where(w => w.Message.Contains("has no host name")), w => Assert.NotNull(w.Line));
        var leaf = Assert.Single(site.Switches, s => s.Name == "a09-p1-ibleaf-04-04");
        Assert.Equal("MQM9701", leaf.Model);
        Assert.Equal(64, leaf.Ports);
        Assert.Equal(400, leaf.PortGbps); // 4xNDR
        Assert.Equal(31, site.Switches.Count(s => s.Name.Contains("ibleaf")));
        Assert.Equal(9, site.Switches.Count(s => s.Name.Contains("ibspine")));

        var host = Assert.Single(site.Hosts, h => h.Name == "a08-p1-dgx-04-c01");
        var nic = Assert.Single(host.Nics, n => n.Name == "mlx5_5");
        Assert.Equal("0xe09d7303007a4bd8", nic.Guid);
        Assert.Equal(host.Nics.Count, host.Gpus.Count);
        // rails follow the adapters' natural order
        Assert.Equal(host.Nics.OrderBy(n => n.Name, SiteAssembler.NaturalComparer.Instance).Select(n => n.Rail), Enumerable.Range(0, host.Nics.Count).Select(i => (int?)i));

        var topology = InventoryConverter.ToTopology(r.Inventory);
        var gpu = topology.Find($"east/gpu/a08-p1-dgx-04-c01-{nic.Rail}");
        Assert.NotNull(gpu);
        Assert.True(topology.TryResolveHost("a08-p1-dgx-04-c01", out var s, out var h));
        Assert.Equal(("east", "a08-p1-dgx-04-c01"), (s, h));
        // leaves are the switches cabled to GPUs, spines above them
        Assert.All(topology.Devices.Where(d => d.Kind == DeviceKind.Switch && d.Id.Contains("ibleaf")), d => Assert.Equal("leaf", d.Tier));
        Assert.All(topology.Devices.Where(d => d.Kind == DeviceKind.Switch && d.Id.Contains("ibspine")), d => Assert.Equal("spine", d.Tier));
        Assert.Contains(topology.Devices, d => d is { Kind: DeviceKind.Link, Tier: "leaf-spine" });
    }

    [Fact]
    public void Superpod_dump_with_bom_crlf_and_a_shell_prompt_imports()
    {
        var r = TopologySamples.Import(InventoryFormat.Ibnetdiscover, "krskp", "ibnetdiscover/HyungKwang-My-Programing_Topo.5_dgxa100_superpod.txt");
        var prompt = Assert.Single(r.Warnings, w => w.Message.Contains("not an ibnetdiscover line"));
        Assert.Equal(1, prompt.Line);
        Assert.Contains("ibnetdiscover", prompt.Message);
        var site = r.Inventory.Sites[0];
        // 140 DGX A100 with 8 compute rails each
        var dgx = site.Hosts.Where(h => h.Name.StartsWith("pg-spd", StringComparison.Ordinal)).ToList();
        Assert.Equal(140, dgx.Count);
        Assert.All(dgx, h => Assert.Equal(8, h.Gpus.Count));
        Assert.Equal(56, site.Switches.Count(s => s.Name.StartsWith("lf", StringComparison.Ordinal)));
        Assert.Equal(80, site.Switches.Count(s => s.Name.StartsWith("sp", StringComparison.Ordinal)));
        Assert.Equal(70, site.Switches.Count(s => s.Name.StartsWith("ss", StringComparison.Ordinal)));
        var topology = InventoryConverter.ToTopology(r.Inventory);
        Assert.Equal(1120, topology.Devices.Count(d => d.Kind == DeviceKind.Gpu && d.Host!.StartsWith("pg-spd", StringComparison.Ordinal)));
        Assert.Equal(200, topology.Find("krskp/switch/lf07")!.SpeedGbps); // 4xHDR
    }

    [Fact]
    public void Stderr_line_and_loopback_cables_are_warnings_with_their_lines()
    {
        var r = TopologySamples.Import(InventoryFormat.Ibnetdiscover, "lab", "ibnetdiscover/jabl-ibtopotool_3.topo");
        Assert.Contains(r.Warnings, w => w.Line == 1 && w.Message.Contains("query_smp.c"));
        Assert.Equal(3, r.Parsed["selfLoops"]);
        Assert.Equal(3, r.Warnings.Count(w => w.Message.Contains("loopback")));
        Assert.All(r.Warnings.Where(w => w.Message.Contains("loopback")), w => Assert.True(w.Line > 1));
    }

    [Fact]
    public void Isolated_node_dump_has_a_host_and_no_cables()
    {
        var r = TopologySamples.Import(InventoryFormat.Ibnetdiscover, "gb", "ibnetdiscover/NVIDIA-topograph_example-bad.out");
        var site = r.Inventory.Sites[0];
        var host = Assert.Single(site.Hosts);
        Assert.Equal("dgx-gb200-n01-c1", host.Name);
        Assert.Empty(host.Gpus); // no cabled port, so no rail
        Assert.Empty(site.Cables);
    }

    [Theory]
    [InlineData("cldemo-vagrant_topology.dot", 16, 59, 12)]
    [InlineData("topology_converter_reference_topology.dot", 16, 59, 12)]
    [InlineData("topology_converter_customer_topology.dot", 15, 50, 0)]
    public void Dot_counts_match_the_files(string file, int nodes, int edges, int selfLoops)
    {
        var r = TopologySamples.Import(InventoryFormat.Dot, "air", "cumulus_dot/" + file);
        Assert.Equal(nodes, r.Parsed["nodes"]);
        Assert.Equal(edges, r.Parsed["edges"]);
        Assert.Equal(selfLoops, r.Parsed["selfLoops"]);
        Assert.Equal(selfLoops, r.Warnings.Count(w => w.Message.Contains("loopback")));
        InventoryConverter.ToTopology(r.Inventory);
    }

    [Fact]
    public void Cumulus_reference_topology_keeps_fabric_and_drops_oob()
    {
        var r = TopologySamples.Import(InventoryFormat.Dot, "air", "cumulus_dot/cldemo-vagrant_topology.dot");
        var site = r.Inventory.Sites[0];
        // 4 leaves, 2 spines, 2 exits; hosts server01-04 and edge01; oob switch/server and internet skipped
        Assert.Equal(8, site.Switches.Count);
        Assert.Equal(5, site.Hosts.Count);
        Assert.Equal(3, r.Warnings.Count(w => w.Message.Contains("not part of the scale-out fabric")));
        Assert.Equal("leaf", site.Switches.Single(s => s.Name == "leaf01").Tier);
        var server = site.Hosts.Single(h => h.Name == "server01");
        Assert.Contains(server.Nics, n => n.Name == "eth1" && n.Mac is not null);
        var topology = InventoryConverter.ToTopology(r.Inventory);
        Assert.True(topology.Count("air", DeviceKind.Link) > 0);
        Assert.Contains(topology.Devices, d => d is { Kind: DeviceKind.Link, Tier: "leaf-spine" });
    }

    [Fact]
    public void Netbox_api_json_old_schema()
    {
        var r = TopologySamples.Import(InventoryFormat.Netbox, "test1",
            "netbox/pynetbox_fixtures/devices.json", "netbox/pynetbox_fixtures/interfaces.json",
            "netbox/pynetbox_fixtures/cables.json", "netbox/pynetbox_fixtures/interface_connections.json");
        Assert.Equal(11, r.Parsed["devices"]);
        Assert.Equal(21, r.Parsed["interfaces"]);
        Assert.Equal(3 + 17, r.Parsed["cables"]);
        // the interfaces page is one of many: said, not silently taken as everything
        Assert.Contains(r.Warnings, w => w.Message.Contains("of 221 results"));
        Assert.Contains(r.Warnings, w => w.Message.Contains("dcim.consoleport"));
        var site = r.Inventory.Sites[0];
        Assert.Contains(site.Switches, s => s.Name == "test1-spine1" && s.Tier == "spine");
        Assert.Contains(site.Switches, s => s.Name == "test1-core1" && s.Tier == "core");
        Assert.DoesNotContain(site.Switches, s => s.Name.Contains("pdu"));
        InventoryConverter.ToTopology(r.Inventory);
    }

    [Fact]
    public void Netbox_bulk_csv_air_site()
    {
        var files = Enumerable.Range(1, 6).Select(i => Directory.GetFiles(TopologySamples.PathOf("netbox/nrx_air"), $"nb_0{i}_*.csv").Single())
            .Select(p => "netbox/nrx_air/" + Path.GetFileName(p)).ToArray();
        var r = TopologySamples.Import(InventoryFormat.Netbox, "air", files);
        Assert.Equal(10, r.Parsed["devices"]);
        Assert.Equal(24, r.Parsed["cables"]);
        Assert.Equal(4, r.Warnings.Count(w => w.Message.Contains("neither devices nor cables")));
        var site = r.Inventory.Sites[0];
        Assert.Equal(2, site.Switches.Count(s => s.Tier == "spine"));
        Assert.Equal(4, site.Switches.Count(s => s.Tier == "leaf"));
        Assert.Equal(4, site.Hosts.Count);
        Assert.All(site.Hosts, h => Assert.All(h.Gpus, g => Assert.Equal("H100-SXM5-80GB", g.Model)));
        Assert.Equal(24, site.Cables.Count);
        var topology = InventoryConverter.ToTopology(r.Inventory);
        Assert.Equal(site.Hosts.Sum(h => h.Gpus.Count), topology.Count("air", DeviceKind.Gpu));
        Assert.True(topology.Count("air", DeviceKind.Gpu) > 0);
    }

    [Fact]
    public void Netbox_bulk_csv_with_bom_and_device_role_column()
    {
        var r = TopologySamples.Import(InventoryFormat.Netbox, "lrg", "netbox/nrx_lrg/nb_05_devices.csv", "netbox/nrx_lrg/nb_06_cables.csv");
        Assert.Equal(40, r.Parsed["devices"]);
        Assert.Equal(256, r.Parsed["cables"]);
        var site = r.Inventory.Sites[0];
        Assert.Equal(8, site.Switches.Count(s => s.Tier == "spine"));
        Assert.Equal(32, site.Switches.Count(s => s.Tier == "leaf"));
        Assert.Equal(256, site.Cables.Count);
        Assert.Equal(256, InventoryConverter.ToTopology(r.Inventory).Count("lrg", DeviceKind.Link));
    }

    [Fact]
    public void Slurm_sharp_tree_of_guid_named_nodes()
    {
        var r = TopologySamples.Import(InventoryFormat.Slurm, "azure", "slurm/yosoyjay-ib-topo_sharp_topology.conf");
        Assert.Equal(113, r.Parsed["switches"]);
        Assert.Equal(128, r.Parsed["nodes"]);
        var site = r.Inventory.Sites[0];
        Assert.Equal(96, site.Switches.Count(s => s.Tier == "leaf"));
        var guids = File.ReadAllText(TopologySamples.PathOf("slurm/yosoyjay-ib-topo_guids.txt")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(128, guids.Length);
        Assert.All(guids, g => Assert.Contains(site.Hosts, h => h.Name == g.ToLowerInvariant()));
        var topology = InventoryConverter.ToTopology(r.Inventory);
        Assert.Equal(128, topology.Count("azure", DeviceKind.Gpu));
    }

    [Fact]
    public void Slurm_tree_with_hostlists_and_aliases()
    {
        var r = TopologySamples.Import(InventoryFormat.Slurm, "sim", "slurm/NVIDIA-topograph_expected.slinky-oci-sim-tree.conf");
        Assert.Equal(19, r.Parsed["switches"]);
        Assert.Equal(96, r.Parsed["nodes"]);
        var site = r.Inventory.Sites[0];
        Assert.Contains(site.Switches, s => s.Name == "switch.3.1" && s.Aliases.Contains("core"));
        var topology = InventoryConverter.ToTopology(r.Inventory);
        Assert.Equal("core", topology.Find("sim/switch/switch.3.1")!.Tier);
        Assert.Equal("leaf", topology.Find("sim/switch/switch.1.1")!.Tier);

        var x5 = TopologySamples.Import(InventoryFormat.Slurm, "x5", "slurm/ltaulell-HPC_toolset_X5.topology.conf");
        Assert.Equal(11, x5.Parsed["switches"]);
        Assert.Contains(x5.Inventory.Sites[0].Hosts, h => h.Name == "sl390lin22");
        Assert.Contains(x5.Inventory.Sites[0].Hosts, h => h.Name == "h-78e7d1030024535c");
    }

    [Fact]
    public void Slurm_blocks_become_nvlink_domains()
    {
        var r = TopologySamples.Import(InventoryFormat.Slurm, "nvl", "slurm/NVIDIA-topograph_expected.slinky-dra-block.conf");
        Assert.Equal(12, r.Parsed["blocks"]);
        Assert.Equal(96, r.Parsed["nodes"]);
        var site = r.Inventory.Sites[0];
        Assert.Equal(12, site.Hosts.Select(h => h.NvlinkDomain).Distinct().Count());
        Assert.Contains(r.Warnings, w => w.Message.Contains("BlockSizes"));
    }

    [Theory]
    [InlineData("srv[1101-1103,2101]", new[] { "srv1101", "srv1102", "srv1103", "srv2101" })]
    [InlineData("n[01-02]x,a", new[] { "n01x", "n02x", "a" })]
    [InlineData("r[1-2]c[1-2]", new[] { "r1c1", "r1c2", "r2c1", "r2c2" })]
    public void Hostlists_expand(string list, string[] names) =>
        Assert.Equal(names, SlurmParser.Expand(list));

    [Fact]
    public void Lldp_suzieq_cumulus_capture()
    {
        var r = TopologySamples.Import(InventoryFormat.Lldp, "cl", "lldp/suzieq_cumulus-input_ospf-ibgp_lldp.output");
        Assert.Equal(14, r.Parsed["records"]);
        Assert.Equal(38, r.Parsed["neighbors"]);
        Assert.Contains(r.Warnings, w => w.Message.Contains("edge01") && w.Message.Contains("plain-text"));
        var site = r.Inventory.Sites[0];
        Assert.Contains(site.Switches, s => s.Name == "spine01");
        Assert.Contains(site.Hosts, h => h.Name == "server101");
        // both ends report each switch-to-switch cable; it is one cable
        Assert.True(site.Cables.Count < 38);
        Assert.Equal(site.Cables.Count, site.Cables.Select(InventoryMerge.CableKey).Distinct().Count());
        InventoryConverter.ToTopology(r.Inventory);
    }

    [Fact]
    public void Lldp_eos_capture_and_eapi_outputs()
    {
        var eos = TopologySamples.Import(InventoryFormat.Lldp, "eos", "lldp/suzieq_eos-input_lldp.output");
        Assert.Equal(34, eos.Parsed["neighbors"]);
        Assert.Contains(eos.Warnings, w => w.Message.Contains("dcedge01"));
        Assert.Equal(41, TopologySamples.Import(InventoryFormat.Lldp, "a", "lldp/napalm_eos_show_lldp_neighbors_detail_normal.json").Parsed["neighbors"]);
        Assert.Equal(3, TopologySamples.Import(InventoryFormat.Lldp, "a", "lldp/napalm_eos_show_lldp_neighbors_detail_issue1153.json").Parsed["neighbors"]);
        var brief = TopologySamples.Import(InventoryFormat.Lldp, "a", "lldp/napalm_eos_show_lldp_neighbors_normal.json");
        Assert.Equal(2, brief.Parsed["neighbors"]);
        Assert.Contains(brief.Inventory.Sites[0].Cables, c => c.B.Port == "0800.274f.332d" || c.A.Port == "0800.274f.332d");
    }

    [Fact]
    public void Hostile_input_gets_a_clear_error()
    {
        var binary = Assert.Throws<InventoryException>(() => ImportFile.FromBytes("x.bin", [0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]));
        Assert.Contains("binary", binary.Message);
        var latin1 = Assert.Throws<InventoryException>(() => ImportFile.FromBytes("x.txt", [0x61, 0xff, 0xfe, 0x62]));
        Assert.Contains("UTF-8", latin1.Message);
        var huge = Assert.Throws<InventoryException>(() => ImportFile.FromBytes("big", new byte[ImportFile.MaxBytes + 1]));
        Assert.Contains("limit", huge.Message);
        var deep = new string('[', 10_000) + new string(']', 10_000);
        Assert.Throws<InventoryException>(() => InventoryImporter.Parse(InventoryFormat.Lldp, [ImportFile.FromText("deep.json", deep)], "a"));
        Assert.Throws<InventoryException>(() => InventoryImporter.Parse(InventoryFormat.Twin, [ImportFile.FromText("deep.yaml", "sites: " + deep)], null));
        Assert.Throws<InventoryException>(() => InventoryImporter.Parse(InventoryFormat.Twin, [ImportFile.FromText("deep.json", "{\"sites\":" + deep + "}")], null));
        var notIb = Assert.Throws<InventoryException>(() => InventoryImporter.Parse(InventoryFormat.Ibnetdiscover, [ImportFile.FromText("x", "hello\nworld\n")], "a"));
        Assert.Contains("not ibnetdiscover", notIb.Message);
        var bomb = InventoryImporter.Parse(InventoryFormat.Slurm, [ImportFile.FromText("x", "SwitchName=s0 Switches=s1\nSwitchName=s1 Nodes=n[1-99999999999]\n")], "a");
        Assert.Contains(bomb.Warnings, w => w.Line == 2 && w.Message.Contains("more than"));
        var site = Assert.Throws<InventoryException>(() => TopologySamples.Import(InventoryFormat.Dot, "Bad Site", "cumulus_dot/cldemo-vagrant_topology.dot"));
        Assert.Contains("site", site.Issues[0].Path);
    }
}
