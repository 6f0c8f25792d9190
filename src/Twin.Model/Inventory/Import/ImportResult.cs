namespace Twin.Model.Inventory.Import;

/// <summary>
/// What a parser read: the inventory fragment (usually one site), what it counted in the source (<c>switches</c>,
/// <c>hosts</c>, <c>links</c>, …), and every line or path it could not use and why.
/// </summary>
public sealed record ImportResult(InventoryDocument Inventory, IReadOnlyDictionary<string, int> Parsed, IReadOnlyList<InventoryIssue> Warnings);
