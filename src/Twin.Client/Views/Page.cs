namespace Twin.Client.Views;

/// <summary>A cursor-paged list: <c>{items, next}</c>; <c>next</c> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);
