using Twin.Model.Topology;

namespace Twin.Model.Inventory;

/// <summary>A storage node of a site's hot (NVMe) or capacity tier.</summary>
public sealed record InventoryStorage
{
    public required string Name { get; init; }

    public StorageTier Tier { get; init; } = StorageTier.Hot;

    public string? Model { get; init; }

    public double CapacityTB { get; init; }

    public double ReadGBps { get; init; }

    public double WriteGBps { get; init; }
}
