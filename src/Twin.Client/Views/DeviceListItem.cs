using Twin.Model.Devices;

namespace Twin.Client.Views;

/// <summary>One row of <c>GET /api/v1/devices</c>.</summary>
public sealed record DeviceListItem(string Id, DeviceKind Kind, string Site, DeviceHealth Health, string? Model, string? Tier, string? Host);
