using System.Globalization;
using Twin.Model.Topology;

namespace Twin.Grains.Devices;

/// <summary>The static facts of a device as the flat string map REST shows under <c>attributes</c>.</summary>
public static class DeviceAttributes
{
    public static IReadOnlyDictionary<string, string> Of(DeviceDescriptor d)
    {
        var a = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                a[key] = value;
            }
        }
        void Num(string key, double value)
        {
            if (value > 0)
            {
                a[key] = value.ToString(CultureInfo.InvariantCulture);
            }
        }
        Add("model", d.Model);
        Add("host", d.Host);
        if (d.Kind == Model.Devices.DeviceKind.Gpu)
        {
            a["index"] = d.Index.ToString(CultureInfo.InvariantCulture);
            a["rail"] = d.Index.ToString(CultureInfo.InvariantCulture);
            a["uuid"] = GpuUuid(d.Id);
        }
        if (d.NvlinkDomain >= 0)
        {
            a["nvlinkDomain"] = d.NvlinkDomain.ToString(CultureInfo.InvariantCulture);
        }
        Add("tier", d.Tier);
        Add("endpointA", d.EndpointA);
        Add("endpointB", d.EndpointB);
        Add("optics", d.Optics?.ToString().ToLowerInvariant());
        Num("speedGbps", d.SpeedGbps);
        Num("lengthM", d.LengthM);
        if (d.Radix > 0)
        {
            a["radix"] = d.Radix.ToString(CultureInfo.InvariantCulture);
        }
        Num("siliconTbps", d.SiliconTbps);
        Num("capacityTB", d.CapacityTB);
        Num("maxReadGBps", d.MaxReadGBps);
        Num("maxWriteGBps", d.MaxWriteGBps);
        Num("distanceKm", d.DistanceKm);
        if (d.DistanceKm > 0)
        {
            a["latencyMs"] = Model.Fabric.FibrePropagation.OneWay(d.DistanceKm).TotalMilliseconds.ToString(CultureInfo.InvariantCulture);
        }
        Num("bufferMB", d.BufferMB);
        return a;
    }

    /// <summary>A stable, UUID-shaped id per GPU (real ones come from telemetry's UUID label).</summary>
    public static string GpuUuid(string id)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id));
        return "GPU-" + new Guid(hash.AsSpan(0, 16)).ToString();
    }
}
