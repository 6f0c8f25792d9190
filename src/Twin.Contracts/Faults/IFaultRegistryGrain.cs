using Orleans.Concurrency;
using Twin.Contracts.Devices;

namespace Twin.Contracts.Faults;

/// <summary>Every fault of the factory (key <c>factory</c>): injects with its cascade, repairs, lists.</summary>
[Alias("twin.fault-registry")]
public interface IFaultRegistryGrain : IGrainWithStringKey
{
    Task<FaultOutcome> Inject(InjectFault request);

    Task<FaultOutcome> Repair(string faultId, DateTimeOffset? at = null);

    ValueTask<IReadOnlyList<FaultView>> List(bool? active, string? site, string? kind);

    ValueTask<FaultView?> Get(string faultId);

    ValueTask<int> ActiveCount();

    /// <summary>A device changed health on its own readings: open or close a telemetry-raised fault. One-way, so a coordinator never waits on it.</summary>
    [OneWay]
    Task RecordFromTelemetry(DeviceChanged change);
}
