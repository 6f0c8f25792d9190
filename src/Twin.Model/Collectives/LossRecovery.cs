namespace Twin.Model.Collectives;

/// <summary>
/// How a transport recovers a lost packet. RDMA NICs of the ConnectX-6 Dx generation on (and RoCE NICs generally
/// today) resend only what was lost (selective repeat); older RoCE transports resend everything after it (go-back-N).
/// </summary>
public enum LossRecovery : byte
{
    SelectiveRepeat,
    GoBackN,
}
