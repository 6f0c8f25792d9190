using Twin.Model.Fabric;
using Twin.Model.Planning;

namespace Twin.Model.Tests.Planning;

public sealed class FabricPlannerTests
{
    private const int Radix128 = 102_400 / 800;   // 102.4 Tbps at 800G

    private static FabricPlanRequest At800G(int gpus) => new() { Gpus = gpus, SiliconTbps = 102.4, PortGbps = 800, NicGbps = 800 };

    [Theory]
    [InlineData(64, 2, 64 * 64 / 2)]
    [InlineData(64, 3, 64 * 64 * 64 / 4)]
    [InlineData(128, 2, 128 * 128 / 2)]
    [InlineData(128, 3, 128 * 128 * 128 / 4)]
    public void FatTreeCapacity_FollowsKSquaredOverTwo_AndKCubedOverFour(int radix, int tiers, long expected)
    {
        Assert.Equal(expected, FatTree.Capacity(radix, tiers));
        Assert.Equal(tiers, Planner(expected, radix).Tiers);
        if (tiers < FatTree.MaxTiers)
        {
            Assert.Equal(tiers + 1, Planner(expected + 1, radix).Tiers);
        }
        else
        {
            Assert.Throws<FabricPlanException>(() => Planner(expected + 1, radix));
        }
    }

    private static FabricPlan Planner(long gpus, int radix) => FabricPlanner.Plan(new() { Gpus = (int)gpus, SwitchRadix = radix, NicGbps = 800 });

    [Fact]
    public void Radix64_Joins2048GpusInTwoTiers_And65536InThree()
    {
        Assert.Equal(2, Planner(2_048, 64).Tiers);
        Assert.Equal(3, Planner(65_536, 64).Tiers);
        Assert.Equal(64, FabricPlanner.Plan(new() { Gpus = 2_048, SiliconTbps = 51.2, PortGbps = 800 }).Radix);
    }

    [Fact]
    public void Silicon102T_At800G_IsRadix128_Joining8192And524288()
    {
        var two = FabricPlanner.Plan(At800G(8_192));
        var three = FabricPlanner.Plan(At800G(524_288));
        Assert.Equal(Radix128, two.Radix);
        Assert.Equal(2, two.Tiers);
        Assert.Equal(3, three.Tiers);
        Assert.Equal(3, FabricPlanner.Plan(At800G(8_193)).Tiers);
    }

    [Fact]
    public void Radix512CpoSwitch_Joins512GpusInOneTier()
    {
        var plan = FabricPlanner.Plan(new() { Gpus = 512, SiliconTbps = 102.4, PortGbps = 200, NicGbps = 200, Optics = [OpticType.Cpo] });
        Assert.Equal(102_400 / 200, plan.Radix);
        Assert.Equal(1, plan.Tiers);
        Assert.Equal(1, plan.Switches);
        // the switch ends are co-packaged; the NICs' ends stay DSP pluggables unless declared CPO
        Assert.Equal(512, plan.Transceivers);
        Assert.Equal(512, plan.CpoPorts);
        Assert.Equal(512 * (4.5 + 15) * 200 / 800 / 1000, plan.OpticsPowerKw, 9);
        var cpoNics = FabricPlanner.Plan(new() { Gpus = 512, SiliconTbps = 102.4, PortGbps = 200, NicGbps = 200, Optics = [OpticType.Cpo], NicOptics = OpticType.Cpo });
        Assert.Equal(0, cpoNics.Transceivers);
        Assert.Equal(2 * 512, cpoNics.CpoPorts);
        Assert.Equal(512 * 2 * 4.5 * 200 / 800 / 1000, cpoNics.OpticsPowerKw, 9);
    }

    [Fact]
    public void Nic800GOver200GLanes_BuildsFourPlanes()
    {
        var plan = FabricPlanner.Plan(new() { Gpus = 512, SiliconTbps = 102.4, PortGbps = 200, NicGbps = 800 });
        Assert.Equal(800 / 200, plan.Planes);
        Assert.Equal(1, plan.Tiers);
        Assert.Equal(4, plan.Switches);
        Assert.Equal(4 * 512, plan.Links);
    }

    [Fact]
    public void Nic400GOn800GPorts_BreaksOut_DoublingTheRadix()
    {
        var plan = FabricPlanner.Plan(new() { Gpus = 8_192, SiliconTbps = 51.2, PortGbps = 800, NicGbps = 400 });
        Assert.Equal(51_200 / 400, plan.Radix);
        Assert.Equal(400, plan.PortGbps);
        Assert.Equal(1, plan.Planes);
        Assert.Equal(2, plan.Tiers);
    }

    [Fact]
    public void EightThousandGpus_Radix128_TwoTiers_CountsPowerLatencyAndCostByHand()
    {
        var plan = FabricPlanner.Plan(At800G(8_192) with { LinkLengthsM = [5, 50], ElectricityPricePerKwh = 0.10 });

        const int half = Radix128 / 2;                      // 64 ports down, 64 up per leaf
        const long leaves = 8_192 / half;                   // 128
        const long spines = leaves * half / Radix128;       // every leaf uplink lands on a spine port: 64
        Assert.Equal(128, leaves);
        Assert.Equal(64, spines);
        Assert.Equal([leaves, spines], plan.SwitchesPerTier);
        Assert.Equal(leaves + spines, plan.Switches);

        const long links = 8_192 + leaves * half;           // GPU–leaf + leaf–spine = 16,384
        Assert.Equal(links, plan.Links);
        Assert.Equal(links, plan.Cables);
        Assert.Equal(2 * links, plan.Transceivers);         // two DSP modules per link

        const double asicW = (leaves + spines) * 102.4 * 10;   // 10 W per Tbps of silicon
        const double opticsW = 2 * links * 15;                 // 15 W per 800G DSP module
        Assert.Equal(asicW / 1000, plan.AsicPowerKw, 6);
        Assert.Equal(opticsW / 1000, plan.OpticsPowerKw, 6);
        Assert.Equal((asicW + opticsW) / 1000, plan.FabricPowerKw, 6);
        Assert.Equal((asicW + opticsW) / 8_192, plan.PowerPerGpuW, 6);
        Assert.Equal((asicW + opticsW) / 1000 * 8_766 * 0.10, plan.AnnualEnergyCost, 3);

        // GPU→leaf→spine→leaf→GPU: 3 switches at 400 ns, 4 links of 2 DSP ends at 100 ns, 5 ns/m.
        const double latency = 3 * 400 + 4 * 2 * 100 + 2 * (5 * 5) + 2 * (50 * 5);
        Assert.Equal(latency, plan.LatencyNs, 6);
        Assert.Equal(7, plan.Hops.Count);
        Assert.Equal(["gpu-leaf", "leaf", "leaf-spine", "spine", "leaf-spine", "leaf", "gpu-leaf"], plan.Hops.Select(h => h.Element));

        Assert.Equal(8_192 * 800 / 2 / 1000.0, plan.BisectionTbps, 6);  // half the GPUs at full NIC speed
        Assert.Equal(8_192 / 8, plan.NvlinkDomains);
    }

    [Theory]
    [InlineData(64, 2_048, 2)]
    [InlineData(64, 40_000, 3)]
    [InlineData(128, 5_000, 2)]
    [InlineData(128, 100_000, 3)]
    [InlineData(16, 200, 3)]   // 16²/2 = 128 < 200
    public void NonBlockingCounts_MatchFatTreeSize(int radix, int gpus, int tiers)
    {
        var plan = Planner(gpus, radix);
        var size = FatTree.Size(gpus, radix, tiers);
        Assert.Equal(tiers, plan.Tiers);
        Assert.Equal(size.Switches, plan.Switches);
        Assert.Equal(size.Leaves, plan.SwitchesPerTier[0]);
    }

    [Fact]
    public void ThreeToOneOversubscription_PutsThreeQuartersOfLeafPortsDown()
    {
        var plan = FabricPlanner.Plan(At800G(8_192) with { Oversubscription = 3 });
        const int down = Radix128 * 3 / 4, up = Radix128 / 4;           // 96 down, 32 up
        var leaves = (long)Math.Ceiling(8_192 / (double)down);          // 86
        var spines = (long)Math.Ceiling(leaves * up / (double)Radix128); // 22
        Assert.Equal([leaves, spines], plan.SwitchesPerTier);
        Assert.Equal(leaves * up * 800 / 2 / 1000.0, plan.BisectionTbps, 6);   // the uplinks limit the cut
    }

    [Fact]
    public void Compare_LpoSavesHalfTheOpticsPower_CpoMore_AndLatencyFalls()
    {
        var c = FabricPlanner.Compare(At800G(8_192));

        Assert.Equal(0, c.Dsp.OpticsPowerSavingPct, 9);
        Assert.Equal(50, c.Lpo.OpticsPowerSavingPct, 6);
        // CPO: 4.5 W instead of 15 at the switch ends; the NIC ends of GPU–leaf links stay pluggable:
        // per 800G of GPU–leaf and leaf–spine link 19.5 + 9 W against 30 + 30 W
        Assert.Equal((1 - (19.5 + 9) / 60.0) * 100, c.Cpo.OpticsPowerSavingPct, 6);
        Assert.True(c.Dsp.Plan.LatencyNs > c.Lpo.Plan.LatencyNs);
        // CPO's switch ends add 5 ns instead of 100; its NIC ends stay DSP, so LPO (8 ns at both ends) is lower still
        Assert.True(c.Dsp.Plan.LatencyNs > c.Cpo.Plan.LatencyNs);
        Assert.True(c.Cpo.Plan.LatencyNs > c.Lpo.Plan.LatencyNs);
        Assert.True(c.Lpo.FabricPowerSavingPct > 0);

        // CPO runs the 102.4T silicon at 200G: radix 512 over 800/200 = 4 planes, still two tiers here.
        Assert.Equal(512, c.Cpo.Plan.Radix);
        Assert.Equal(4, c.Cpo.Plan.Planes);
        Assert.Equal(2, c.Cpo.Plan.Tiers);
    }

    [Fact]
    public void Compare_HigherCpoRadix_TurnsThreeTiersIntoTwo()
    {
        var c = FabricPlanner.Compare(At800G(65_536));
        Assert.Equal(3, c.Dsp.Plan.Tiers);                 // 8,192 < 65,536 ≤ 128³/4
        Assert.Equal(2, c.Cpo.Plan.Tiers);                 // 65,536 ≤ 512²/2
        Assert.True(c.Cpo.OpticsPowerSavingPct > 35);      // cheaper optics and a tier of links fewer
        Assert.True(c.Cpo.LatencySavingNs > 2 * 400);      // two switch traversals gone
    }

    [Fact]
    public void Compare_WithoutCpoLaneSpeed_KeepsTheRequestRadix()
    {
        var c = FabricPlanner.Compare(At800G(8_192), PlanParameters.Default with { CpoLaneGbps = null });
        Assert.Equal(Radix128, c.Cpo.Plan.Radix);
        Assert.Equal(52.5, c.Cpo.OpticsPowerSavingPct, 6);
        // NICs declared co-packaged too: every end at 4.5 W, 70 % less than DSP (Broadcom's TH6-Davisson figure)
        var allCpo = FabricPlanner.Compare(At800G(8_192) with { NicOptics = OpticType.Cpo }, PlanParameters.Default with { CpoLaneGbps = null });
        Assert.Equal(70, allCpo.Cpo.OpticsPowerSavingPct, 6);
    }

    private static void Rejects(FabricPlanRequest request, string field, string message)
    {
        var e = Assert.Throws<FabricPlanException>(() => FabricPlanner.Plan(request));
        Assert.Equal(field, e.Field);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void BadInputs_RaiseErrorsNamingTheField()
    {
        Rejects(At800G(0), "gpus", "gpus must be ≥ 1");
        Rejects(new() { Gpus = 8, SwitchRadix = 63 }, "switchRadix", "switchRadix must be even");
        Rejects(new() { Gpus = 8 }, "switchRadix", "siliconTbps and portGbps or switchRadix required");
        Rejects(new() { Gpus = 8, SiliconTbps = 51.2 }, "switchRadix", "siliconTbps and portGbps or switchRadix required");
        Rejects(At800G(8) with { Optics = [OpticType.Coherent] }, "optics", "optics must be one of dsp, lpo, cpo, aec, dac");
        Rejects(new() { Gpus = 1_000_000, SwitchRadix = 64 }, "gpus", "needs more than 3 tiers");
        Rejects(At800G(8_192) with { Tiers = 1 }, "tiers", "join at most 128");
        Rejects(At800G(8) with { Oversubscription = 0.5 }, "oversubscription", "oversubscription must be ≥ 1");
        Rejects(At800G(8) with { NicGbps = 0 }, "nicGbps", "nicGbps must be > 0");
        Rejects(At800G(8_192) with { Optics = [OpticType.Dac], LinkLengthsM = [2, 50] }, "linkLengthsM", "exceeds the dac reach of 3 m");
        Rejects(At800G(100_000) with { Optics = [OpticType.Dsp, OpticType.Dsp] }, "optics", "needs 1 or 3 values");

        var parse = Assert.Throws<FabricPlanException>(() => OpticsTechnology.Parse("coherent"));
        Assert.Equal("optics", parse.Field);
        Assert.Equal(OpticType.Lpo, OpticsTechnology.Parse("LPO"));
    }
}
