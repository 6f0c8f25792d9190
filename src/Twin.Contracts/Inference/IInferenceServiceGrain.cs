using Orleans.Concurrency;
using Twin.Contracts.Jobs;

namespace Twin.Contracts.Inference;

/// <summary>One inference service (key <c>inf-NNNNNN</c>), evaluated in event time.</summary>
[Alias("twin.inference-service")]
public interface IInferenceServiceGrain : IWorkloadGrain
{
    Task<InferenceView> Start(InferenceServiceDefinition definition, string[][] replicas, DateTimeOffset at);

    Task<InferenceView> GetView(DateTimeOffset at);

    /// <summary>
    /// The site's storage read bandwidth changed (the NVMe KV tier reads from it). One-way; <paramref name="sequence"/>
    /// orders notices of the same event time, and an older notice is ignored.
    /// </summary>
    [OneWay]
    Task StorageChanged(double share, DateTimeOffset at, long sequence);

    Task<InferenceView> Stop(DateTimeOffset at);
}
