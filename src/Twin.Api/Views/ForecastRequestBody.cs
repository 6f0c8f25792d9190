using System.Text.Json;

namespace Twin.Api.Views;

/// <summary>
/// Body of <c>POST /api/v1/forecasts</c>, e.g. <c>{"horizon":"6h","faults":[{"kind":"switch-down","target":"east/switch/spine-03","at":"10m"}]}</c>.
/// </summary>
/// <param name="Horizon">How far ahead: <c>90m</c>, <c>6h</c>, <c>2d</c> (at most 30 days).</param>
/// <param name="Faults">Faults to suppose; <c>at</c> is an offset from now (<c>0</c> when omitted) or an ISO-8601 time ahead.</param>
/// <param name="Seed">Seed of the random failure processes (both runs share it).</param>
/// <param name="Failures">Random failures at the Llama 3 405B rate on the running jobs (default on).</param>
/// <param name="Speed">Virtual seconds per wall second; as fast as possible when omitted.</param>
public sealed record ForecastRequestBody(string? Horizon, ForecastFaultBody[]? Faults, int? Seed, bool? Failures, double? Speed);

public sealed record ForecastFaultBody(string? Kind, string? Target, string? At, Dictionary<string, JsonElement>? Parameters, string? Duration);
