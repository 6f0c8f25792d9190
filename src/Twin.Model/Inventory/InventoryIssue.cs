namespace Twin.Model.Inventory;

/// <summary>A problem found in an inventory or an imported file: where (line when the source has lines, else a path) and what.</summary>
public sealed record InventoryIssue(string Path, int? Line, string Message)
{
    public override string ToString() => Line is { } line ? $"line {line}: {Message}" : $"{Path}: {Message}";
}

/// <summary>An inventory the twin cannot use at all (duplicate names, unreadable document); lists every problem.</summary>
public sealed class InventoryException(string source, IReadOnlyList<InventoryIssue> issues)
    : Exception($"{source}: {string.Join("; ", issues.Take(20))}{(issues.Count > 20 ? $" (and {issues.Count - 20} more)" : "")}")
{
    public IReadOnlyList<InventoryIssue> Issues { get; } = issues;
}
