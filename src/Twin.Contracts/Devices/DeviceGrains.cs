using Twin.Model.Devices;

namespace Twin.Contracts.Devices;

/// <summary>Resolves a device id to the grain of its kind.</summary>
public static class DeviceGrains
{
    public static IDeviceGrain Get(this IGrainFactory grains, DeviceKind kind, string id) => kind switch
    {
        DeviceKind.Gpu => grains.GetGrain<IGpuGrain>(id),
        DeviceKind.Switch => grains.GetGrain<ISwitchGrain>(id),
        DeviceKind.Link => grains.GetGrain<IOpticLinkGrain>(id),
        DeviceKind.Storage => grains.GetGrain<IStorageNodeGrain>(id),
        DeviceKind.Dpu => grains.GetGrain<IDpuGrain>(id),
        DeviceKind.Dci => grains.GetGrain<IDciLinkGrain>(id),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
