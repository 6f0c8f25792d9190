using Twin.Model.Devices;

namespace Twin.Contracts.Devices;

/// <summary>Resolves a device id to the grain of its kind.</summary>
public static class DeviceGrains
{
    // GetGrain<T>(key) resolves T's grain interface type by reflecting over its attributes on every call; the
    // ingestion path makes a hundred thousand references a second, so each kind's types are resolved once.
    // (a reference per kind, so a reader on another thread never sees half of a pair)
    private static readonly KindTypes?[] Types = new KindTypes?[Enum.GetValues<DeviceKind>().Length];

    public static IDeviceGrain Get(this IGrainFactory grains, DeviceKind kind, string id)
    {
        if (Types[(int)kind] is not { } types)
        {
            var sample = (GrainReference)(object)Resolve(grains, kind, id);
            Types[(int)kind] = new KindTypes(sample.GrainId.Type, sample.InterfaceType);
            return (IDeviceGrain)sample;
        }
        return (IDeviceGrain)grains.GetGrain(GrainId.Create(types.Grain, id), types.Interface);
    }

    private static IDeviceGrain Resolve(IGrainFactory grains, DeviceKind kind, string id) => kind switch
    {
        DeviceKind.Gpu => grains.GetGrain<IGpuGrain>(id),
        DeviceKind.Switch => grains.GetGrain<ISwitchGrain>(id),
        DeviceKind.Link => grains.GetGrain<IOpticLinkGrain>(id),
        DeviceKind.Storage => grains.GetGrain<IStorageNodeGrain>(id),
        DeviceKind.Dpu => grains.GetGrain<IDpuGrain>(id),
        DeviceKind.Dci => grains.GetGrain<IDciLinkGrain>(id),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private sealed record KindTypes(GrainType Grain, GrainInterfaceType Interface);
}
