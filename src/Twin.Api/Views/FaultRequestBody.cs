using System.Text.Json;

namespace Twin.Api.Views;

/// <summary>Body of <c>POST /api/v1/faults</c>.</summary>
/// <param name="Kind">Fault kind, e.g. <c>gpu-xid</c>, <c>switch-down</c>, <c>site-power-loss</c>.</param>
/// <param name="Target">Device id, <c>site/host/hNNNN</c>, site name, or <c>dci/a-b</c>.</param>
/// <param name="Parameters">Kind-specific numbers or ids, e.g. <c>{"xid": 79}</c>.</param>
/// <param name="At">Event time the fault begins; now when omitted.</param>
/// <param name="Duration">Optional lifetime (<c>90s</c>, <c>15m</c>, <c>6h</c> or <c>00:15:00</c>) after which it repairs itself.</param>
public sealed record FaultRequestBody(
    string? Kind,
    string? Target,
    Dictionary<string, JsonElement>? Parameters,
    DateTimeOffset? At,
    string? Duration);
