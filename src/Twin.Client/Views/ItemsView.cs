namespace Twin.Client.Views;

/// <summary>A list response: <c>{"items": [...]}</c>.</summary>
public sealed record ItemsView<T>(IReadOnlyList<T> Items);
