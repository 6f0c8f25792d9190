using Orleans.Concurrency;
using Twin.Contracts.Faults;

namespace Twin.Grains.Faults;

/// <summary>
/// The fault registry (key <c>factory</c>) as grains that lost their memory see it: a device or a site
/// coordinator that (re)activates — after a silo died, after collection, after a cluster restart —
/// asks which active faults touch it, instead of the registry pushing every fault again. Calls
/// interleave: the registry is often mid-inject, waiting on the very grain that is activating.
/// </summary>
[Alias("twin.fault-lookup")]
public interface IFaultLookupGrain : IGrainWithStringKey
{
    /// <summary>The effects of the fully applied, active faults on one device.</summary>
    [AlwaysInterleave, ReadOnly]
    ValueTask<FaultEffect[]> ActiveFor(string deviceId);

    /// <summary>The ids of a site's active faults and the devices they hold unhealthy.</summary>
    [AlwaysInterleave, ReadOnly]
    ValueTask<SiteFaults> ActiveInSite(string site);
}

/// <summary>A site's active faults and the health each imposes per device (the worst when several overlap).</summary>
[GenerateSerializer, Immutable, Alias("twin.site-faults")]
public sealed record SiteFaults(
    [property: Id(0)] IReadOnlyList<string> FaultIds,
    [property: Id(1)] IReadOnlyList<FaultedDevice> Devices);

[GenerateSerializer, Immutable, Alias("twin.faulted-device")]
public sealed record FaultedDevice(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] Twin.Model.Devices.DeviceKind Kind,
    [property: Id(2)] Twin.Model.Devices.DeviceHealth Health,
    [property: Id(3)] string Reason,
    [property: Id(4)] string FaultId,
    [property: Id(5)] DateTimeOffset At);
