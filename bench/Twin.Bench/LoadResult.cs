namespace Twin.Bench;

/// <summary>Requests per second a load reached and its p99 latency.</summary>
public sealed record LoadResult(double RequestsPerSecond, double P99Ms);
