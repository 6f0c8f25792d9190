using Orleans.Concurrency;

namespace Twin.Contracts.Jobs;

/// <summary>One training job (key = job id), advanced in event time.</summary>
[Alias("twin.training-job")]
public interface ITrainingJobGrain : IWorkloadGrain
{
    Task<JobView> Start(TrainingJobDefinition definition, string[] placement, JobContext context, DateTimeOffset at);

    Task<JobView> GetView(DateTimeOffset at);

    /// <summary>The job as it runs now (a shrunk job has fewer DP replicas than it was submitted with).</summary>
    Task<TrainingJobDefinition> GetDefinition();

    /// <summary>Something it depends on broke without taking its GPUs (a spine switch: NCCL connections through it fail). One-way.</summary>
    [OneWay]
    Task Interrupted(string reason, DateTimeOffset at);

    /// <summary>
    /// Scale-out bandwidth of one of its sites changed. One-way; <paramref name="sequence"/> orders the site's notices
    /// of the same event time, and an older notice is ignored.
    /// </summary>
    [OneWay]
    Task FabricChanged(string site, double share, DateTimeOffset at, long sequence);

    /// <summary>DCI between its sites changed (the job reads what the links offer now). One-way.</summary>
    [OneWay]
    Task DciChanged(DateTimeOffset at);

    /// <summary>
    /// The restore that started at <paramref name="restoreStart"/> now ends at <paramref name="end"/>: other restores
    /// joined or left the storage it reads from. One-way; a notice about an earlier restore is ignored.
    /// </summary>
    [OneWay]
    Task RestoreRescheduled(DateTimeOffset restoreStart, DateTimeOffset end);

    /// <summary>
    /// What share of its dataset reads storage serves from now on (<paramref name="version"/> orders the notices:
    /// an older one is ignored). One-way.
    /// </summary>
    [OneWay]
    Task IngestSupplyChanged(long version, IngestSupply[] supply);

    /// <summary>A software failure (NCCL timeout, bug): the job restarts from its checkpoint, no device failed.</summary>
    Task Crash(string reason, DateTimeOffset at);

    Task<JobView> Cancel(DateTimeOffset at);
}
