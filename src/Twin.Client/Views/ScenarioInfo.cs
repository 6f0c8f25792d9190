namespace Twin.Client.Views;

/// <summary>A scenario file on the twin (<c>Error</c> set when it does not load).</summary>
public sealed record ScenarioInfo(string Name, string? Description, string Topology, double DurationSeconds, int Seed, int Workloads,
    IReadOnlyList<string> Expectations, string? Error);
