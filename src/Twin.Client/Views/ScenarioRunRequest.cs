namespace Twin.Client.Views;

/// <summary>Optional overrides of a scenario run: seed, and speed in virtual seconds per wall second (null = as fast as possible).</summary>
public sealed record ScenarioRunRequest(int? Seed = null, double? Speed = null);
