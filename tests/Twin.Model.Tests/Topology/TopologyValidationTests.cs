using Twin.Model.Topology;

namespace Twin.Model.Tests.Topology;

public sealed class TopologyValidationTests
{
    private static TopologyException Fails(string yaml) => Assert.Throws<TopologyException>(() => TopologyLoader.Parse(yaml, "t.yaml"));

    [Fact]
    public void TooManyGpusForTheTiers_IsAnErrorThatSaysSo_WithLineAndField()
    {
        var e = Fails("""
            name: t
            sites:
              - name: east
                hosts: 5000
                fabric:
                  siliconTbps: 51.2
                  portGbps: 800
                  tiers: 2
            """);
        var error = Assert.Single(e.Errors);
        Assert.Equal("sites[0].fabric.tiers", error.Field);
        Assert.Equal(8, error.Line);
        Assert.Contains("40,000 GPUs need 3 tiers of radix 64", error.Message);
    }

    [Fact]
    public void MoreThanThreeTiersNeeded_AsksForAHigherRadix()
    {
        var e = Fails("""
            name: t
            sites:
              - name: east
                hosts: 10000
                gpusPerHost: 8
                fabric: { radix: 32 }
            """);
        Assert.Contains(e.Errors, x => x.Field == "sites[0].fabric" && x.Message.Contains("higher-radix"));
    }

    [Fact]
    public void EveryBadField_IsReported_NotJustTheFirst()
    {
        var e = Fails("""
            name: t
            sites:
              - name: East
                hosts: -3
                gpusPerHost: eight
                fabric: { radix: 64, tier: 2 }
                storage:
                  - { tier: warm, nodes: 2, capacityTB: 1, readGBps: 1, writeGBps: 1 }
            dci:
              - { a: east, b: mars, distanceKm: 100 }
            """);
        var fields = e.Errors.Select(x => x.Field).ToList();
        Assert.Contains("sites[0].name", fields);
        Assert.Contains("sites[0].hosts", fields);
        Assert.Contains("sites[0].gpusPerHost", fields);
        Assert.Contains("sites[0].fabric.tier", fields);
        Assert.Contains("sites[0].storage[0].tier", fields);
        Assert.Contains("dci[0].b", fields);
        Assert.Equal(4, e.Errors.Single(x => x.Field == "sites[0].hosts").Line);
        Assert.Equal(10, e.Errors.Single(x => x.Field == "dci[0].b").Line);
    }

    [Fact]
    public void BrokenYaml_ReportsItsLine()
    {
        var e = Fails("name: t\nsites:\n  - name: east\n    hosts: [1, 2\n");
        Assert.Equal("(document)", e.Errors[0].Field);
        Assert.True(e.Errors[0].Line >= 4);
    }

    [Fact]
    public void DuplicateSites_AndMissingRequiredFields_AreErrors()
    {
        var e = Fails("""
            name: t
            sites:
              - name: east
                hosts: 1
                fabric: { radix: 16 }
              - name: east
                fabric: { radix: 16 }
            """);
        Assert.Contains(e.Errors, x => x.Field == "sites[1].name" && x.Message.Contains("twice"));
        Assert.Contains(e.Errors, x => x.Field == "sites[1].hosts" && x.Message == "is required");
    }

    [Fact]
    public void OddRadix_IsRejected()
    {
        var e = Fails("name: t\nsites:\n  - name: east\n    hosts: 1\n    fabric: { radix: 33 }\n");
        Assert.Contains(e.Errors, x => x.Field == "sites[0].fabric.radix");
    }
}
