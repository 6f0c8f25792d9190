namespace Twin.Contracts.Sites;

/// <summary>Bandwidth of one fabric tier: what was built and what the links still up carry.</summary>
[GenerateSerializer, Immutable, Alias("twin.fabric-capacity")]
public sealed record FabricCapacity(
    [property: Id(0)] string Tier,
    [property: Id(1)] int Links,
    [property: Id(2)] int LinksUp,
    [property: Id(3)] double TotalTbps,
    [property: Id(4)] double AvailableTbps);
