namespace Twin.Model.Inventory;

/// <summary>
/// A factory as it really is: its sites with named hosts, switches and cables, its storage and its DCI circuits.
/// The twin's source of truth; the parametric topology spec is one generator of it, importers are others.
/// </summary>
public sealed record InventoryDocument
{
    /// <summary>Factory name (<c>demo</c>, or the operator's own).</summary>
    public string Name { get; init; } = "factory";

    public IReadOnlyList<InventorySite> Sites { get; init; } = [];

    /// <summary>Long-haul circuits between sites.</summary>
    public IReadOnlyList<InventoryDci> Dci { get; init; } = [];
}
