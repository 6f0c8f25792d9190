using System.Globalization;
using System.Net;
using Twin.Model.Devices;
using Twin.Model.Topology;

namespace Twin.Model.Security;

/// <summary>
/// The factory's front-end addresses, derived from the topology so flows can name devices or addresses alike:
/// host <c>hN</c> of site <c>i</c> (its GPUs and DPU share it) is <c>10.i.(N / 256).(N % 256)</c>, storage node
/// <c>sN</c> is <c>10.i.(250 + N / 256).(N % 256)</c>. Anything outside 10.0.0.0/8 is off-factory.
/// </summary>
public sealed class AddressPlan(FactoryTopology topology)
{
    private readonly Dictionary<string, int> _siteIndex = topology.Spec.Sites.Select((s, i) => (s.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);

    /// <summary>The address of a GPU, DPU or storage node (null for switches, links and DCI).</summary>
    public IPAddress? Of(DeviceDescriptor device)
    {
        if (!_siteIndex.TryGetValue(device.Site, out var site))
        {
            return null;
        }
        var (name, offset) = device.Kind switch
        {
            DeviceKind.Gpu or DeviceKind.Dpu => (device.Host, 0),
            DeviceKind.Storage => (device.Id[(device.Id.LastIndexOf('/') + 1)..], 250),
            _ => (null, 0),
        };
        if (name is null || name.Length < 2 || !int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return null;
        }
        return new IPAddress([10, (byte)site, (byte)(offset + n / 256), (byte)(n % 256)]);
    }

    /// <summary>The site an address of the factory belongs to, or null off-factory.</summary>
    public string? SiteOf(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return bytes.Length == 4 && bytes[0] == 10 ? _siteIndex.FirstOrDefault(s => s.Value == bytes[1]).Key : null;
    }
}
