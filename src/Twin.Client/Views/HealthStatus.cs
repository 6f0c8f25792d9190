namespace Twin.Client.Views;

/// <summary>Body of <c>/healthz</c>.</summary>
public sealed record HealthStatus(string Status, string Factory, IReadOnlyList<string> Sites, int Devices, long LastEventSequence);
