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

    /// <summary>Applies many device changes at once (a site or host power loss), as one summarised update.</summary>
    ValueTask ApplyBulk(Devices.DeviceChanged[] changes);
}
