using Twin.Model.Devices;

namespace Twin.Api.Views;

/// <summary>One row of the device list.</summary>
public sealed record DeviceListItem(string Id, DeviceKind Kind, string Site, DeviceHealth Health, string? Model, string? Tier, string? Host);

/// <summary>A page of devices; <c>next</c> is the opaque cursor of the following page, null on the last.</summary>
public sealed record DevicePage(IReadOnlyList<DeviceListItem> Items, string? Next, int Total);
