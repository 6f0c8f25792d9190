using Twin.Model.Topology;

namespace Twin.Model.Inventory;

/// <summary>One site: its hosts, fabric switches, the cables between them and its storage nodes.</summary>
public sealed record InventorySite
{
    /// <summary>Site name, the first segment of every device id (<c>east</c>).</summary>
    public required string Name { get; init; }

    /// <summary><c>infiniband</c> or <c>ethernet</c>.</summary>
    public string Network { get; init; } = "infiniband";

    /// <summary>Fabric defaults (silicon, port speed, optics per tier) for switches and cables that do not say; derived when absent.</summary>
    public FabricSpec? Fabric { get; init; }

    public IReadOnlyList<InventoryHost> Hosts { get; init; } = [];

    public IReadOnlyList<InventorySwitch> Switches { get; init; } = [];

    public IReadOnlyList<InventoryCable> Cables { get; init; } = [];

    public IReadOnlyList<InventoryStorage> Storage { get; init; } = [];
}
