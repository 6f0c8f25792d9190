using Twin.Model.Fabric;

namespace Twin.Model.Tests.Fabric;

public sealed class FabricCongestionTests
{
    [Fact]
    public void AtCut_IsOfferedOverBisection_WhenItExceedsOne()
    {
        Assert.Equal(1.0, FabricCongestion.AtCut(10, 100));
        Assert.Equal(3.5, FabricCongestion.AtCut(350, 100), 12);
        // 128 DP rings crossing each of 6 pod boundaries at 50 GB/s offer 38.4 TB/s to a 16,384-GPU fabric cut 1:7
        // (58.5 TB/s each way): no congestion. All-to-all across the same cut offers half of every NIC: 7 × 0.5.
        Assert.Equal(1.0, FabricCongestion.AtCut(FabricCongestion.RingOffered(128, 6, 50e9), 16_384 * 50e9 / 7 / 2));
        Assert.Equal(3.5, FabricCongestion.AtCut(16_384 * 50e9 / 2, 16_384 * 50e9 / 7), 9);
        Assert.Throws<ArgumentOutOfRangeException>(() => FabricCongestion.AtCut(1, 0));
    }

    [Fact]
    public void Ecmp_OneFlowPerPath_Collides_ManyFlowsSpreadEvenly()
    {
        Assert.Equal(1.0, FabricCongestion.EcmpEfficiency(5, 1));
        // 8 flows on 8 paths: the busiest path expects ≈ 2.5 flows (Poisson maximum), so ≈ 0.4 of the ideal
        var one = FabricCongestion.EcmpEfficiency(8, 8);
        Assert.InRange(one, 0.35, 0.45);
        // 16 flows per connection (Meta's Llama 3 fabric): 128 flows on 8 paths, ideal 16 per path, max ≈ 22
        var sixteen = FabricCongestion.EcmpEfficiency(128, 8);
        Assert.InRange(sixteen, 0.65, 0.8);
        Assert.True(FabricCongestion.EcmpEfficiency(4096, 8) > 0.9);
        Assert.True(one < sixteen);
    }
}
