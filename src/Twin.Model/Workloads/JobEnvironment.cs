using Twin.Model.Collectives;

namespace Twin.Model.Workloads;

/// <summary>
/// What the hardware offers a job right now: GPU model, NIC speed, how many DP ranks sit in each site,
/// the share of scale-out bandwidth still up, and the DCI between its sites.
/// </summary>
public sealed record JobEnvironment
{
    public string GpuModel { get; init; } = "H100-SXM5-80GB";

    public double NicGbps { get; init; } = 400;

    /// <summary>
    /// Model FLOPs utilisation of the compute part of a step (bubbles and communication excluded); null takes the GPU
    /// model's achievable figure (<see cref="GpuSpecs.Spec.TrainingMfu"/>).
    /// </summary>
    public double? ComputeEfficiency { get; init; }

    /// <summary>Number of sites the DP group spans.</summary>
    public int Sites { get; init; } = 1;

    /// <summary>Available / built bandwidth of the scale-out fabric (worst site the job uses).</summary>
    public double FabricShare { get; init; } = 1.0;

    /// <summary>
    /// Congestion of the scale-out fabric for the job's data-parallel streams (≥ 1; 1 = they run at NIC speed): what
    /// <see cref="Fabric.FabricCongestion"/> computes from the fabric's measured bisection and its ECMP spread.
    /// </summary>
    public double FabricOversubscription { get; init; } = 1.0;

    /// <summary>Per-step latency of a scale-out hop (NIC + switches).</summary>
    public double FabricAlphaSeconds { get; init; } = 5e-6;

    /// <summary>Longest DCI distance between the job's sites.</summary>
    public double DciDistanceKm { get; init; }

    /// <summary>DCI bandwidth up between the job's sites (the thinnest pair), Gb/s.</summary>
    public double DciAvailableGbps { get; init; }

    /// <summary>DCI packet loss as a fraction (0.005 = 0.5 %).</summary>
    public double DciLossRate { get; init; }

    /// <summary>How the DCI transport recovers lost packets: selective repeat (RDMA NICs) unless declared go-back-N.</summary>
    public LossRecovery DciLossRecovery { get; init; } = LossRecovery.SelectiveRepeat;
}
