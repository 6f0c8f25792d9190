using Twin.Model.Fabric;
using Twin.Model.Topology;

namespace Twin.Model.Devices;

/// <summary>
/// The factory's one answer to "can this GPU take work?", asked by the site coordinators, the job registry, both
/// scenario worlds and rewind. A GPU is usable while it is in the pool (not failed, drained or quarantined) and
/// the path from it into the fabric is in service: its NIC link and the leaf that link lands on are neither out
/// of service nor down nor flapping (a flapping NIC link makes collectives time out).
/// </summary>
public static class Usability
{
    /// <summary>Whether a device in this condition cuts off the GPUs that depend on it (itself, or those behind a NIC link or leaf).</summary>
    public static bool Blocks(DeviceHealth health, LinkState state) => health.OutOfPool() || state != LinkState.Up;

    /// <summary>The devices a GPU's usability depends on: the GPU, its NIC (gpu-leaf) link, its leaf switch.</summary>
    public static bool OnGpuPath(DeviceDescriptor device) =>
        device.Kind == DeviceKind.Gpu || device.LinkTier == LinkTier.GpuLeaf || device.SwitchTier == SwitchTier.Leaf;

    /// <summary>Spine and core switches carry the collectives between a site's leaves.</summary>
    public static bool JoinsLeaves(DeviceDescriptor device) => device.SwitchTier is SwitchTier.Spine or SwitchTier.Core;

    /// <summary>
    /// A spine or core switch of a site failing breaks the routes of the collectives that cross leaves there:
    /// the jobs whose GPUs at that site sit on more than one leaf time out and restart. A job within one leaf
    /// never crosses a spine.
    /// </summary>
    public static bool SpineLossInterrupts(int leavesAtSite) => leavesAtSite > 1;

    /// <summary>A device scenarios may still draw as a fault target: anything not failed already.</summary>
    public static bool CanFail(DeviceHealth health) => health != DeviceHealth.Failed;
}
