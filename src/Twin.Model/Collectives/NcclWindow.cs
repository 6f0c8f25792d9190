namespace Twin.Model.Collectives;

/// <summary>
/// What NCCL keeps in flight on one connection: each channel has a buffer of <c>NCCL_BUFFSIZE</c> (4 MiB by default,
/// split into <c>NCCL_STEPS</c> = 8 slots) and cannot send past it until the receiver frees slots, so a stream moves
/// at most channels × buffer per round trip. Inside a hall that is far more than the link; over 1,000 km of DCI
/// (10 ms round trip) 16 channels carry 16 × 4 MiB / 10 ms ≈ 6.7 GB/s whatever the link's capacity.
/// </summary>
public static class NcclWindow
{
    /// <summary><c>NCCL_BUFFSIZE</c> default.</summary>
    public const double BufferBytes = 4 * 1024 * 1024;

    /// <summary>Ring channels NCCL opens on an 8-NIC HGX node (two per NIC).</summary>
    public const int Channels = 16;

    /// <summary>Bytes one communicator keeps in flight with NCCL's defaults.</summary>
    public const double DefaultInFlightBytes = BufferBytes * Channels;

    /// <summary>Bandwidth a window of <paramref name="inFlightBytes"/> sustains over a round trip of <paramref name="rttSeconds"/>.</summary>
    public static double BytesPerSecond(double inFlightBytes, double rttSeconds) =>
        rttSeconds > 0 ? inFlightBytes / rttSeconds : double.PositiveInfinity;
}
