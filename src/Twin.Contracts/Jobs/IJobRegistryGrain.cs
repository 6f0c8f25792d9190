using Orleans.Concurrency;

namespace Twin.Contracts.Jobs;

/// <summary>The factory's jobs (key <c>factory</c>): placement, which GPUs are taken, replacement spares.</summary>
[Alias("twin.job-registry")]
public interface IJobRegistryGrain : IGrainWithStringKey
{
    Task<JobOutcome> Submit(TrainingJobDefinition definition, DateTimeOffset? at);

    Task<IReadOnlyList<string>> JobIds();

    /// <summary>Places an inference service's replicas (each inside one NVLink domain) on free, usable GPUs.</summary>
    Task<Inference.InferenceOutcome> Deploy(Inference.InferenceServiceDefinition definition, DateTimeOffset? at);

    Task<IReadOnlyList<string>> ServiceIds();

    /// <summary>Healthy, free GPUs of the same sites to replace lost ones; empty when there are none.</summary>
    Task<string[]> Replace(string jobId, string[] lost, DateTimeOffset at);

    /// <summary>The context (bandwidths) a job of these sites sees now.</summary>
    Task<JobContext> Context(string[] sites, string gpuModelSite);

    Task Release(string jobId);

    /// <summary>A job that shrank gives these GPUs back to the pool.</summary>
    Task Release(string jobId, string[] gpus);

    /// <summary>
    /// Plans a job's checkpoint restore (one burst per site, starting at <paramref name="start"/>) on the sites'
    /// storage, shared fairly with the restores already in flight, and returns when it ends. Jobs whose restores
    /// now end later hear so one-way. <paramref name="now"/> is the event time of the failure being recovered.
    /// </summary>
    Task<DateTimeOffset> ScheduleRestore(string jobId, RestoreDemand[] demands, DateTimeOffset start, DateTimeOffset now);

    /// <summary>
    /// The job's data loaders ask this much of each site's storage from <paramref name="from"/> on (its step time
    /// changed). They share the storage with restores; the job hears what share it gets.
    /// </summary>
    Task SetIngest(string jobId, IngestDemand[] demands, DateTimeOffset from);

    /// <summary>
    /// The job stopped at <paramref name="at"/> (it waits for hardware, or was cancelled): its restore, if one was
    /// under way, and its dataset reads end there, and their share goes back to the others.
    /// </summary>
    Task StopRestore(string jobId, DateTimeOffset at);

    /// <summary>The DCI between these sites now, read from the link grains themselves (they carry faults synchronously).</summary>
    Task<DciState> Dci(string[] sites);

    /// <summary>DCI capacity between two sites changed: tell the scale-across jobs that span them. One-way.</summary>
    [OneWay]
    Task DciChanged(string a, string b, DateTimeOffset at);
}
