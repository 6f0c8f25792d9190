using Twin.Model.Storage;

namespace Twin.Model.Tests.Storage;

public sealed class StorageTests
{
    private const double GB = 1e9, TB = 1e12;

    [Fact]
    public void Restore_IsLimitedByTheNarrowestPipe()
    {
        // 405B parameters with bf16 weights and fp32 Adam state ≈ 405e9 × 14 B ≈ 5.67 TB.
        const double checkpoint = 405e9 * 14;
        // Storage 40 nodes × 50 GB/s = 2 TB/s; fabric towards storage 32 × 400G = 1.6 TB/s.
        var local = CheckpointTraffic.Restore(checkpoint, 40 * 50 * GB, 32 * 50 * GB);
        Assert.Equal(BurstBottleneck.Fabric, local.Bottleneck);
        Assert.Equal(checkpoint / (1.6 * TB), local.Duration.TotalSeconds, 3);   // ≈ 3.5 s

        // The same checkpoint held at the other site, 8 × 400G DCI = 400 GB/s.
        var remote = CheckpointTraffic.Restore(checkpoint, 40 * 50 * GB, 32 * 50 * GB, 8 * 50 * GB);
        Assert.Equal(BurstBottleneck.Dci, remote.Bottleneck);
        Assert.Equal(checkpoint / (400 * GB), remote.Duration.TotalSeconds, 3);  // ≈ 14.2 s
    }

    [Fact]
    public void Write_IsLimitedBySlowerStorageWrites()
    {
        // 2 TB at 20 nodes × 25 GB/s = 500 GB/s of writes, fabric 1.6 TB/s: 4 s.
        var write = CheckpointTraffic.Write(2 * TB, 20 * 25 * GB, 1.6 * TB);
        Assert.Equal(BurstBottleneck.Storage, write.Bottleneck);
        Assert.Equal(500 * GB, write.BytesPerSecond);
        Assert.Equal(4.0, write.Duration.TotalSeconds, 6);
    }

    private static KvCacheTiers ThreeTiers(double missPenalty = 0) => new(
    [
        new KvCacheTier("hbm", 1e-6, 3 * TB, 0.7),
        new KvCacheTier("host-dram", 10e-6, 50 * GB, 0.5),
        new KvCacheTier("nvme", 100e-6, 7 * GB, 0.8),
    ], missPenalty);

    [Fact]
    public void KvCache_ExpectedLatency_HandComputed()
    {
        const double block = 2e6;   // 2 MB KV block
        var kv = ThreeTiers(missPenalty: 0.05);

        // Served: HBM 0.7; DRAM 0.3 × 0.5 = 0.15; NVMe 0.15 × 0.8 = 0.12; miss 0.15 × 0.2 = 0.03.
        Assert.Equal(0.15, kv.ServedFraction(1), 12);
        Assert.Equal(0.12, kv.ServedFraction(2), 12);
        Assert.Equal(0.03, kv.MissFraction, 12);

        var hbm = 1e-6 + block / (3 * TB);
        var dram = 10e-6 + block / (50 * GB);      // 50 µs
        var nvme = 100e-6 + block / (7 * GB);      // ≈ 386 µs
        var expected = 0.7 * hbm + 0.15 * dram + 0.12 * nvme + 0.03 * 0.05;
        Assert.Equal(expected, kv.ExpectedLatencySeconds(block), 12);
    }

    [Fact]
    public void KvCache_SlaCheck()
    {
        const double block = 2e6;
        var kv = ThreeTiers();   // misses cost nothing extra here: 0.03 of lookups
        var mean = 0.7 * (1e-6 + block / (3 * TB)) + 0.15 * (10e-6 + block / (50 * GB)) + 0.12 * (100e-6 + block / (7 * GB));
        Assert.True(kv.MeetsSla(block, mean + 1e-9));
        Assert.False(kv.MeetsSla(block, mean - 1e-9));
        // A 100 µs bound is met by HBM and DRAM hits (and the free misses), not by NVMe: 0.7 + 0.15 + 0.03.
        Assert.Equal(0.88, kv.FractionWithin(block, 100e-6), 12);
    }

    [Fact]
    public void KvCache_TypicalTiers_AllHbmHits_AreMicroseconds()
    {
        var kv = KvCacheTiers.Typical(1.0, 0.0, 0.0);
        Assert.Equal(1e-6 + 2e6 / 3.35e12, kv.ExpectedLatencySeconds(2e6), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => new KvCacheTier("bad", 0, GB, 1.5));
    }
}

public sealed class StorageThroughputTests
{
    [Fact]
    public void ABurstRunsAtPeak_TheRestAtTheSustainedRate()
    {
        var s = new StorageThroughput(7e12, 2e12, BurstBytes: 1e12);
        Assert.Equal(1e12 / 7e12 + 4.7e12 / 2e12, s.Seconds(5.7e12), 12);
        Assert.Equal(0.5e12 / 7e12, s.Seconds(0.5e12), 12);
        Assert.Equal(2.85, StorageThroughput.Tectonic.Seconds(5.7e12), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => new StorageThroughput(1e12, 2e12));
    }
}
