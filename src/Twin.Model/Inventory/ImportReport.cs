namespace Twin.Model.Inventory;

/// <summary>
/// What an import did, as the REST API and the CLI report it: what the files held (<see cref="Parsed"/>), what changed
/// in the inventory per kind, every warning with its line or path (the first <see cref="MaxWarnings"/>), and the
/// device count the twin now serves.
/// </summary>
public sealed record ImportReport(
    string Format,
    IReadOnlyList<string> Sites,
    IReadOnlyDictionary<string, int> Parsed,
    IReadOnlyDictionary<string, ChangeCount> Changes,
    IReadOnlyList<InventoryIssue> Warnings,
    int WarningsOmitted,
    int Devices)
{
    public const int MaxWarnings = 1000;
}
