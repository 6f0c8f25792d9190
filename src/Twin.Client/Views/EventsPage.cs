using Twin.Contracts.Events;

namespace Twin.Client.Views;

/// <summary>A page of event history: pass <c>Next</c> as <c>since</c> for the following page; <c>Missed</c> says the bounded history dropped events.</summary>
public sealed record EventsPage(IReadOnlyList<TwinEvent> Items, long Oldest, long Last, long Next, bool Missed);
