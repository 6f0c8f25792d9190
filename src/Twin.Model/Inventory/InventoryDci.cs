namespace Twin.Model.Inventory;

/// <summary>One long-haul circuit between two sites (<c>east-west-1</c>).</summary>
public sealed record InventoryDci
{
    public required string Name { get; init; }

    public required string A { get; init; }

    public required string B { get; init; }

    public double DistanceKm { get; init; }

    public double BandwidthGbps { get; init; } = 1600;

    public double BufferMB { get; init; } = 4096;
}
