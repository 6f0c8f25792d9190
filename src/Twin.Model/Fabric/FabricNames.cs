namespace Twin.Model.Fabric;

/// <summary>The spelling of fabric tiers and link states in ids, topology files, REST filters and views (<c>gpu-leaf</c>, <c>spine</c>, <c>flapping</c>).</summary>
public static class FabricNames
{
    public static string Name(this LinkState state) => state switch
    {
        LinkState.Up => "up",
        LinkState.Down => "down",
        LinkState.Flapping => "flapping",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    public static string Name(this LinkTier tier) => tier switch
    {
        LinkTier.GpuLeaf => "gpu-leaf",
        LinkTier.LeafSpine => "leaf-spine",
        LinkTier.SpineCore => "spine-core",
        _ => throw new ArgumentOutOfRangeException(nameof(tier)),
    };

    public static string Name(this SwitchTier tier) => tier switch
    {
        SwitchTier.Leaf => "leaf",
        SwitchTier.Spine => "spine",
        SwitchTier.Core => "core",
        _ => throw new ArgumentOutOfRangeException(nameof(tier)),
    };

    public static LinkTier? ParseLinkTier(string? text) => text switch
    {
        "gpu-leaf" => LinkTier.GpuLeaf,
        "leaf-spine" => LinkTier.LeafSpine,
        "spine-core" => LinkTier.SpineCore,
        _ => null,
    };

    public static SwitchTier? ParseSwitchTier(string? text) => text switch
    {
        "leaf" => SwitchTier.Leaf,
        "spine" => SwitchTier.Spine,
        "core" => SwitchTier.Core,
        _ => null,
    };
}
