using System.Text.Json;
using System.Text.Json.Serialization;
using Twin.Api.Ingestion;
using Twin.Contracts.Devices;

namespace Twin.Api;

/// <summary>
/// Source-generated JSON for the hottest responses (a device's view, a telemetry request's answer): serialisers are
/// compiled, not built by reflection at first use, and the GET device path pays no reflection per request. The
/// options match the app's (camelCase, enums as camelCase strings, NaN/±Inf as named literals); it is the first
/// resolver of the app's options, so other types still fall back to reflection.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(DeviceView))]
[JsonSerializable(typeof(IngestResponse))]
internal sealed partial class TwinJsonContext : JsonSerializerContext;
