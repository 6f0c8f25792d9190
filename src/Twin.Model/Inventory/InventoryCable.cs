using Twin.Model.Fabric;

namespace Twin.Model.Inventory;

/// <summary>A cable between two device ports. Absent optics, length and speed come from the site's fabric defaults.</summary>
public sealed record InventoryCable
{
    public required CableEnd A { get; init; }

    public required CableEnd B { get; init; }

    public OpticType? Optics { get; init; }

    public double? LengthM { get; init; }

    public double? SpeedGbps { get; init; }
}

/// <summary>One end of a cable: a host (port = its NIC name) or a switch (port = its port name).</summary>
public sealed record CableEnd
{
    public required string Device { get; init; }

    public string? Port { get; init; }
}
