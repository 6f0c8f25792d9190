using Orleans.Concurrency;
using Twin.Contracts.Inference;

namespace Twin.Contracts.Jobs;

/// <summary>What site coordinators tell any workload on the GPUs they count: training jobs and inference services.</summary>
public interface IWorkloadGrain : IGrainWithStringKey
{
    /// <summary>GPUs of its placement left the pool (failed, quarantined, NIC link down). One-way: coordinators never wait on workloads.</summary>
    [OneWay]
    Task DevicesLost(string[] gpus, string reason, DateTimeOffset at);

    /// <summary>GPUs of its placement are back in the pool. One-way.</summary>
    [OneWay]
    Task DevicesRestored(string[] gpus, DateTimeOffset at);
}

/// <summary>Workload ids name their kind: <c>j-…</c> training jobs, <c>inf-…</c> inference services.</summary>
public static class Workloads
{
    public const string InferencePrefix = "inf-";

    public static bool IsInference(string id) => id.StartsWith(InferencePrefix, StringComparison.Ordinal);

    public static IWorkloadGrain Workload(this IGrainFactory grains, string id) =>
        IsInference(id) ? grains.GetGrain<IInferenceServiceGrain>(id) : grains.GetGrain<ITrainingJobGrain>(id);
}
