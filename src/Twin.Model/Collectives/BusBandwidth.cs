namespace Twin.Model.Collectives;

/// <summary>
/// Bandwidths as nccl-tests reports them (PERFORMANCE.md): algbw = n / t, and busbw = algbw times a
/// per-collective factor so it compares with the link bandwidth regardless of rank count.
/// </summary>
public static class BusBandwidth
{
    /// <summary>Algorithm bandwidth: bytes over seconds.</summary>
    public static double AlgBw(double bytes, double seconds) =>
        seconds > 0 ? bytes / seconds : throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "seconds must be > 0");

    /// <summary>All-reduce bus bandwidth: algbw · 2(p−1)/p.</summary>
    public static double AllReduce(double algBw, int ranks) => algBw * 2.0 * (ranks - 1) / ranks;

    /// <summary>All-gather bus bandwidth: algbw · (p−1)/p.</summary>
    public static double AllGather(double algBw, int ranks) => algBw * (ranks - 1) / ranks;

    /// <summary>Reduce-scatter bus bandwidth: algbw · (p−1)/p.</summary>
    public static double ReduceScatter(double algBw, int ranks) => algBw * (ranks - 1) / ranks;

    /// <summary>All-to-all bus bandwidth: algbw · (p−1)/p.</summary>
    public static double AllToAll(double algBw, int ranks) => algBw * (ranks - 1) / ranks;
}
