using Twin.Model.Fabric;

namespace Twin.Model.Inventory;

/// <summary>A fabric switch. <see cref="Tier"/> is inferred from the cabling when absent (leaves carry GPU cables).</summary>
public sealed record InventorySwitch
{
    public required string Name { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary><c>leaf</c>, <c>spine</c> or <c>core</c>.</summary>
    public string? Tier { get; init; }

    /// <summary>Product (<c>MQM9700</c>, <c>SN5600</c>).</summary>
    public string? Model { get; init; }

    /// <summary>Switch ASIC (<c>Quantum-2</c>, <c>Spectrum-4</c>).</summary>
    public string? Silicon { get; init; }

    public double? SiliconTbps { get; init; }

    public double? PortGbps { get; init; }

    /// <summary>Port count (radix).</summary>
    public int? Ports { get; init; }

    /// <summary>Node GUID (InfiniBand) or chassis MAC (Ethernet).</summary>
    public string? Guid { get; init; }

    public string? Pod { get; init; }

    /// <summary><c>cpo</c> for co-packaged optics switches.</summary>
    public OpticType? Optics { get; init; }
}
