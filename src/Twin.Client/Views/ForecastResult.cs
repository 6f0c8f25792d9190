using System.Text.Json;
using System.Text.Json.Nodes;
using Twin.Model.Forecasts;

namespace Twin.Client.Views;

/// <summary>
/// <c>GET /api/v1/forecasts/{id}</c>: the status, and once done the report — the difference typed, the two scenario
/// reports as JSON (they are large; read what you need).
/// </summary>
public sealed record ForecastResult(
    string Id,
    string State,
    double Progress,
    DateTimeOffset SnapshotAt,
    double HorizonSeconds,
    int Jobs,
    int ActiveFaults,
    int SupposedFaults,
    double? WallSeconds,
    string? Error,
    JsonObject? Report)
{
    public ForecastDiff? Diff => Report?["diff"] is { } diff ? diff.Deserialize<ForecastDiff>(TwinJson.Options) : null;
}
