namespace Twin.Model.Workloads;

/// <summary>What a DCI cut between its sites does to a scale-across job.</summary>
public enum DciCutPolicy : byte
{
    /// <summary>Stop and wait for the link (losing the work since the last checkpoint).</summary>
    Stop,

    /// <summary>Each side trains on with its own replicas, shrunk, and rejoins when the link is back.</summary>
    Split,
}
