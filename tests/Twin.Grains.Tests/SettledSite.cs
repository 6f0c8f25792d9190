using Twin.Contracts.Devices;
using Twin.Contracts.Sites;
using Twin.Model.Devices;

namespace Twin.Grains.Tests;

/// <summary>
/// A site summary that has caught up with its devices. The coordinator learns of changes over a stream, so
/// a summary read right after an earlier test's repair may still count that repair's devices as down; a
/// "before" baseline taken from it would be wrong. This reads every device of the site and waits until the
/// coordinator's healthy counts agree with them.
/// </summary>
public static class SettledSite
{
    public static async Task<SiteSummary> Summary(IGrainFactory grains, string site)
    {
        var devices = ClusterFixture.Topology.Devices.Where(d => d.Site == site).ToList();
        var views = await Task.WhenAll(devices.Select(d => grains.Get(d.Kind, d.Id).GetView().AsTask()));
        int Healthy(DeviceKind kind) =>
            devices.Zip(views).Count(p => p.First.Kind == kind && p.Second.Health == DeviceHealth.Healthy);
        var (gpus, switches, links, storage, dpus) =
            (Healthy(DeviceKind.Gpu), Healthy(DeviceKind.Switch), Healthy(DeviceKind.Link), Healthy(DeviceKind.Storage), Healthy(DeviceKind.Dpu));
        return await Eventually.Until(
            () => grains.GetGrain<ISiteCoordinatorGrain>(site).GetSummary().AsTask(),
            s => s.Gpus.Healthy == gpus && s.Switches.Healthy == switches && s.Links.Healthy == links &&
                 s.StorageNodes.Healthy == storage && s.Dpus.Healthy == dpus);
    }
}
