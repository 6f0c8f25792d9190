namespace Twin.Model.Reliability;

/// <summary>
/// What one failure takes down: a GPU (or its host's share of it), a whole host, or a failure domain several hosts
/// share — the rack (its power shelf / PDU) or the leaf switch their NICs hang from. A job is interrupted once per
/// failure whatever the scope; a wider scope means fewer, bigger events for a small job and more GPUs to replace.
/// </summary>
public enum FailureScope : byte
{
    Gpu,
    Host,
    Rack,
    Leaf,
}

/// <summary>GPUs in each failure scope of a fleet (defaults: 8-GPU HGX hosts, 4 hosts per rack, 32 hosts per leaf pair).</summary>
public sealed record FailureDomains(int GpusPerHost = 8, int HostsPerRack = 4, int HostsPerLeaf = 32)
{
    public static FailureDomains Hgx { get; } = new();

    public int Gpus(FailureScope scope) => scope switch
    {
        FailureScope.Gpu => 1,
        FailureScope.Host => GpusPerHost,
        FailureScope.Rack => GpusPerHost * HostsPerRack,
        _ => GpusPerHost * HostsPerLeaf,
    };

    /// <summary>Units of <paramref name="scope"/> a job on <paramref name="gpus"/> whole, packed GPUs spans.</summary>
    public double UnitsSpanned(int gpus, FailureScope scope) => Math.Ceiling((double)gpus / Gpus(scope));
}
