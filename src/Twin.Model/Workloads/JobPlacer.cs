using Twin.Model.Devices;
using Twin.Model.Topology;

namespace Twin.Model.Workloads;

/// <summary>
/// Topology-aware placement: whole hosts (so each TP group sits in one NVLink domain and GPU i of every host
/// stays on rail i), an equal share per site so only the DP dimension crosses DCI, free and usable GPUs only.
/// </summary>
public static class JobPlacer
{
    /// <summary>GPU ids per site, or the reason placement is impossible (field, message).</summary>
    public static (IReadOnlyList<string>? Gpus, string? Field, string? Error) Place(
        TrainingJobSpec job, FactoryTopology topology, Func<string, bool> unavailable)
    {
        var sites = job.Sites.Count > 0 ? job.Sites : [topology.SiteNames.First()];
        if (job.Gpus % sites.Count != 0)
        {
            return (null, "gpus", $"{job.Gpus} GPUs do not split evenly over {sites.Count} sites");
        }
        var perSite = job.Gpus / sites.Count;
        var placement = new List<string>(job.Gpus);
        foreach (var site in sites)
        {
            var spec = topology.Spec.Sites.FirstOrDefault(s => s.Name == site);
            if (spec is null)
            {
                return (null, "sites", $"no site '{site}'");
            }
            if (job.Tp > spec.NvlinkDomain)
            {
                return (null, "parallelism.tp", $"tp {job.Tp} does not fit the {spec.NvlinkDomain}-GPU NVLink domains of {site}");
            }
            var taken = 0;
            foreach (var host in topology.Devices.Where(d => d.Site == site && d.Kind == DeviceKind.Gpu).GroupBy(d => d.Host))
            {
                var free = host.Where(g => !unavailable(g.Id)).ToList();
                // whole hosts only: a host with a missing GPU breaks its TP groups' symmetry
                if (free.Count != spec.GpusPerHost)
                {
                    continue;
                }
                var need = Math.Min(free.Count, perSite - taken);
                placement.AddRange(free.Take(need).Select(g => g.Id));
                taken += need;
                if (taken == perSite)
                {
                    break;
                }
            }
            if (taken < perSite)
            {
                return (null, "gpus", $"site {site} has {taken} free usable GPUs in whole hosts; the job needs {perSite} there");
            }
        }
        return (placement, null, null);
    }
}
