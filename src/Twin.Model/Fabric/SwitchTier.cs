namespace Twin.Model.Fabric;

/// <summary>A switch's layer in a site's fabric: leaves take the GPUs' NICs, spines and cores join leaves.</summary>
public enum SwitchTier : byte
{
    Leaf,
    Spine,
    Core,
}
