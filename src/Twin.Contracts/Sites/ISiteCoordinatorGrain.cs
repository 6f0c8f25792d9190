using Twin.Model.Devices;

namespace Twin.Contracts.Sites;

/// <summary>One per site (key = site name). Subscribes implicitly to the site's state stream; never polls devices.</summary>
[Alias("twin.site-coordinator")]
public interface ISiteCoordinatorGrain : IGrainWithStringKey
{
    ValueTask<SiteSummary> GetSummary();

    /// <summary>Devices of the site that are not healthy, with their health (healthy ones are every other device).</summary>
    ValueTask<IReadOnlyDictionary<string, DeviceHealth>> GetUnhealthy();

    /// <summary>Records that a fault became active or was lifted on this site (for the active-fault count).</summary>
    ValueTask FaultActivity(string faultId, bool active);

    /// <summary>Records that these GPUs run a job, so the coordinator can tell the job when one of them is lost.</summary>
    ValueTask AssignJob(string jobId, string[] gpus);

    /// <summary>Forgets a job's GPUs (all of them, or the given ones after a reschedule).</summary>
    ValueTask ReleaseJob(string jobId, string[]? gpus = null);

    /// <summary>GPUs of the site that are out of the pool (failed, quarantined, draining, or NIC link down).</summary>
    ValueTask<IReadOnlyCollection<string>> GetUnusableGpus();

    /// <summary>The site's inventory changed (an import, an adopted host): recount its devices from the topology and
    /// re-apply its active faults.</summary>
    ValueTask InventoryChanged();

    /// <summary>Applies many device changes at once (a site or host power loss), as one summarised update.</summary>
    ValueTask ApplyBulk(Devices.DeviceChanged[] changes);
}
