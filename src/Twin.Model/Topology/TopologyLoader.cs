using Twin.Model.Fabric;

namespace Twin.Model.Topology;

/// <summary>
/// Parses a topology YAML file into a <see cref="TopologySpec"/>, checking every field and the fabric maths.
/// Throws <see cref="TopologyException"/> listing each problem with its line and field.
/// </summary>
public static class TopologyLoader
{
    public static TopologySpec LoadFile(string path) => Parse(File.ReadAllText(path), path);

    public static TopologySpec Parse(string yaml, string source = "topology")
    {
        var errors = new List<TopologyError>();
        var root = YamlFields.LoadRoot(yaml, errors);
        if (root is null)
        {
            throw new TopologyException(source, errors);
        }
        var doc = new YamlFields(root, "", errors);
        var name = doc.String("name");
        var sites = doc.List("sites", required: true).Select(ReadSite).ToList();
        var dci = doc.List("dci", required: false).Select(ReadDci).ToList();
        doc.RejectUnknown();

        if (sites.Count == 0 && errors.Count == 0)
        {
            doc.Error(root, "sites", "at least one site is required");
        }
        CheckNames(doc, sites, dci);
        if (errors.Count > 0)
        {
            throw new TopologyException(source, errors);
        }
        return new TopologySpec(name, sites.Select(s => s.Spec).ToList(), dci.Select(d => d.Spec).ToList());
    }

    private sealed record Located<T>(T Spec, YamlFields At);

    private static Located<SiteSpec> ReadSite(YamlFields s)
    {
        var name = s.String("name");
        if (name.Length > 0 && !IsIdSegment(name))
        {
            s.Error(s.Find("name")!, s.Field("name"), "must be lower-case letters, digits and '-'");
        }
        var hosts = s.Integer("hosts", null, 1, 1_000_000);
        var gpusPerHost = s.Integer("gpusPerHost", 8, 1, 72);
        var model = s.String("gpuModel", "H100-SXM5-80GB");
        var nvlink = s.Integer("nvlinkDomain", gpusPerHost, 1, 576);
        var nic = s.Number("nicGbps", 400, 1, 3200);
        var storage = s.List("storage", required: false).Select(ReadStorage).ToList();
        var dpus = s.Boolean("dpus", true);
        var fabricFields = s.Map("fabric", required: true);
        var fabric = fabricFields is null ? null : ReadFabric(fabricFields, (long)hosts * gpusPerHost, gpusPerHost, hosts);
        s.RejectUnknown();
        if (nvlink > 0 && gpusPerHost > 0 && nvlink % gpusPerHost != 0 && gpusPerHost % nvlink != 0)
        {
            s.Error(s.Find("nvlinkDomain") ?? s.Node, s.Field("nvlinkDomain"),
                $"{nvlink} must divide or be a multiple of gpusPerHost ({gpusPerHost})");
        }
        var spec = new SiteSpec(name, hosts, gpusPerHost, model, nvlink, nic, fabric ?? DefaultFabric, storage, dpus);
        return new Located<SiteSpec>(spec, s);
    }

    private static readonly TierLink NoLink = new(OpticType.Dsp, 0);

    private static readonly FabricSpec DefaultFabric = new("infiniband", 51.2, 400, 128, 2, true, NoLink, NoLink, NoLink);

    private static FabricSpec ReadFabric(YamlFields f, long gpus, int gpusPerHost, int hosts)
    {
        var network = f.String("network", "infiniband");
        if (network is not ("infiniband" or "ethernet"))
        {
            f.Error(f.Find("network")!, f.Field("network"), "must be infiniband or ethernet");
        }
        var silicon = f.Number("siliconTbps", 51.2, 1, 1000);
        var port = f.Number("portGbps", 400, 10, 3200);
        var radixDerived = FatTree.Radix(silicon, port);
        var radix = f.Integer("radix", radixDerived, 4, 4096);
        if (radix % 2 != 0)
        {
            f.Error(f.Find("radix") ?? f.Node, f.Field("radix"), $"radix {radix} must be even (half the ports face down, half up)");
        }
        var rail = f.Boolean("railOptimised", true);
        var tiersNode = f.Find("tiers");
        var minimum = FatTree.MinimumTiers(gpus, Math.Max(radix, 2));
        var tiers = tiersNode is null ? minimum ?? FatTree.MaxTiers : f.Integer("tiers", null, 1, FatTree.MaxTiers);
        var oversubscription = f.Number("oversubscription", 1, 1, 16);
        if (oversubscription > 1 && tiers != 2 && minimum is not null)
        {
            f.Error(f.Find("oversubscription")!, f.Field("oversubscription"), $"oversubscription applies to two-tier fabrics; this one has {tiers} tier(s)");
        }
        var gpuLeaf = ReadTier(f, "gpuLeaf", OpticType.Dac, 3);
        var leafSpine = ReadTier(f, "leafSpine", OpticType.Dsp, 50);
        var spineCore = ReadTier(f, "spineCore", OpticType.Dsp, 500);
        f.RejectUnknown();

        if (minimum is null)
        {
            f.Error(f.Node, f.Path, $"{gpus:N0} GPUs need more than {FatTree.MaxTiers} tiers of radix {radix} " +
                $"(at most {FatTree.Capacity(radix, FatTree.MaxTiers):N0}); use a higher-radix switch");
        }
        else if (tiers < minimum)
        {
            f.Error(tiersNode ?? f.Node, f.Field("tiers"), $"{gpus:N0} GPUs need {minimum} tiers of radix {radix}; " +
                $"{tiers} tier(s) join at most {FatTree.Capacity(radix, tiers):N0}");
        }
        else if (rail && tiers > 1)
        {
            // A rail-optimised leaf serves one GPU index of k/2 hosts, so rails round the leaf count up.
            var leaves = (long)gpusPerHost * FatTree.CeilDiv(hosts, radix / 2);
            var maxLeaves = FatTree.Capacity(radix, tiers) / (radix / 2);
            if (leaves > maxLeaves)
            {
                f.Error(f.Node, f.Path, $"rail-optimised layout needs {leaves:N0} leaves; {tiers} tier(s) of radix {radix} take at most {maxLeaves:N0}");
            }
        }
        return new FabricSpec(network, silicon, port, radix, tiers, rail, gpuLeaf, leafSpine, spineCore) { Oversubscription = oversubscription };
    }

    private static TierLink ReadTier(YamlFields f, string key, OpticType optics, double lengthM)
    {
        var t = f.Map(key, required: false);
        if (t is null)
        {
            return new TierLink(optics, lengthM);
        }
        var link = new TierLink(t.Enum<OpticType>("optics", optics), t.Number("lengthM", lengthM, 0.1, 100_000));
        t.RejectUnknown();
        return link;
    }

    private static StorageTierSpec ReadStorage(YamlFields s)
    {
        var spec = new StorageTierSpec(
            s.Enum<StorageTier>("tier", null),
            s.Integer("nodes", null, 1, 100_000),
            s.Number("capacityTB", null, 0.001, 1e7),
            s.Number("readGBps", null, 0.001, 1e5),
            s.Number("writeGBps", null, 0.001, 1e5));
        s.RejectUnknown();
        return spec;
    }

    private static Located<DciSpec> ReadDci(YamlFields d)
    {
        var spec = new DciSpec(
            d.String("a"),
            d.String("b"),
            d.Number("distanceKm", null, 0.001, 40_000),
            d.Number("bandwidthGbps", 1600, 1, 1e6),
            d.Integer("links", 1, 1, 1024),
            d.Number("bufferMB", 4096, 0, 1e6));
        d.RejectUnknown();
        return new Located<DciSpec>(spec, d);
    }

    private static void CheckNames(YamlFields doc, List<Located<SiteSpec>> sites, List<Located<DciSpec>> dci)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var site in sites)
        {
            if (site.Spec.Name is "dci" or "factory")
            {
                site.At.Error(site.At.Find("name")!, site.At.Field("name"), $"'{site.Spec.Name}' is reserved");
            }
            else if (site.Spec.Name.Length > 0 && !seen.Add(site.Spec.Name))
            {
                site.At.Error(site.At.Find("name")!, site.At.Field("name"), $"site '{site.Spec.Name}' is defined twice");
            }
        }
        foreach (var link in dci)
        {
            foreach (var (key, end) in new[] { ("a", link.Spec.A), ("b", link.Spec.B) })
            {
                if (end.Length > 0 && !seen.Contains(end))
                {
                    link.At.Error(link.At.Find(key)!, link.At.Field(key), $"no site named '{end}'");
                }
            }
            if (link.Spec.A.Length > 0 && link.Spec.A == link.Spec.B)
            {
                link.At.Error(link.At.Node, link.At.Path, "a DCI link joins two different sites");
            }
        }
    }

    private static bool IsIdSegment(string s) =>
        s.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && char.IsAsciiLetterLower(s[0]);
}
