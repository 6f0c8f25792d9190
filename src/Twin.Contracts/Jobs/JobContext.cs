using Twin.Model.Workloads;

namespace Twin.Contracts.Jobs;

/// <summary>What the hardware offers a job when it starts or recovers: the step-time inputs and checkpoint write bandwidth.</summary>
[GenerateSerializer, Immutable, Alias("twin.job-context")]
public sealed record JobContext(
    [property: Id(0)] string GpuModel,
    [property: Id(1)] double NicGbps,
    [property: Id(2)] double FabricShare,
    [property: Id(3)] double DciDistanceKm,
    [property: Id(4)] double DciAvailableGbps,
    [property: Id(5)] double DciLossRate,
    // restores are planned by the job registry on the sites' shared storage; Id 6 (restore read) is retired
    [property: Id(7)] double StorageWriteGBps)
{
    public JobEnvironment Environment(int sites) => new()
    {
        GpuModel = GpuModel, NicGbps = NicGbps, Sites = sites, FabricShare = FabricShare,
        DciDistanceKm = DciDistanceKm, DciAvailableGbps = DciAvailableGbps, DciLossRate = DciLossRate,
    };
}
