namespace Twin.Contracts.Events;

/// <summary>
/// A page of history after a sequence number. <see cref="Oldest"/> is the first sequence still held:
/// a reader whose cursor is below it has missed events that the bounded history dropped.
/// </summary>
[GenerateSerializer, Immutable, Alias("twin.event-page")]
public sealed record EventPage(
    [property: Id(0)] IReadOnlyList<TwinEvent> Items,
    [property: Id(1)] long Oldest,
    [property: Id(2)] long Last);
