namespace Twin.Contracts.Events;

/// <summary>Optional filters of a history read; null matches everything.</summary>
[GenerateSerializer, Immutable, Alias("twin.event-filter")]
public sealed record EventFilter(
    [property: Id(0)] string? Site = null,
    [property: Id(1)] string? Kind = null,
    [property: Id(2)] string? DeviceId = null)
{
    public static EventFilter All { get; } = new();

    public bool Matches(TwinEvent e) =>
        (Site is null || e.Site == Site) &&
        (Kind is null || e.Kind == Kind) &&
        (DeviceId is null || e.DeviceId == DeviceId);
}
