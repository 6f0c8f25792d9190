namespace Twin.Model.Workloads;

/// <summary>What a lost GPU does to a training job.</summary>
public enum FailurePolicy : byte
{
    /// <summary>Restart on spare hosts of the same site (or wait for them).</summary>
    Spares,

    /// <summary>Drop the data-parallel replicas that held the lost GPUs and go on smaller.</summary>
    Shrink,
}
