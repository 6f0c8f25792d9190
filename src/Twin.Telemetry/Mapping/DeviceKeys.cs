namespace Twin.Telemetry.Mapping;

/// <summary>
/// The label/attribute values a sample carries that can name its device, as spans over the reader's buffers
/// (so resolving a device allocates nothing). Empty spans mean "absent".
/// </summary>
public ref struct DeviceKeys
{
    /// <summary>An explicit twin id (<c>device</c> label, JSON <c>device</c>); ignored unless it is one.</summary>
    public ReadOnlySpan<char> Device;

    /// <summary>Reported host name (<c>east-h0012</c>, <c>east-h0012:9100</c>, <c>east-h0012.dc.example</c>).</summary>
    public ReadOnlySpan<char> Host;

    /// <summary>GPU index within the host (dcgm-exporter <c>gpu</c>).</summary>
    public ReadOnlySpan<char> Gpu;

    /// <summary>Adapter name (<c>mlx5_3</c>) for per-port series.</summary>
    public ReadOnlySpan<char> Nic;

    /// <summary>OTel <c>hw.id</c>: a twin id, or an index/name within <see cref="HwType"/> on the host.</summary>
    public ReadOnlySpan<char> HwId;

    /// <summary>OTel <c>hw.type</c> (<c>gpu</c>, <c>network</c>).</summary>
    public ReadOnlySpan<char> HwType;

    /// <summary>GPU UUID (dcgm-exporter <c>UUID</c>): names the GPU wherever it was moved.</summary>
    public ReadOnlySpan<char> Uuid;

    /// <summary>GPU model (dcgm-exporter <c>modelName</c>), kept for discovered hosts only.</summary>
    public ReadOnlySpan<char> Model;

    /// <summary>The metric describes an adapter port, so the device is that port's GPU NIC link.</summary>
    public bool OnNic;
}
