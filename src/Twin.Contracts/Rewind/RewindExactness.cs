namespace Twin.Contracts.Rewind;

/// <summary>
/// How far a rewound state can be trusted: events and faults are exact while history reaches back to the moment
/// asked for; telemetry is as fine as a device's history ring (or out of it).
/// </summary>
public sealed record RewindExactness(string Events, string Faults, string? Telemetry = null);
