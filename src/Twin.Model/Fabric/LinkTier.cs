namespace Twin.Model.Fabric;

/// <summary>Which two layers of a site's fabric a link joins, from the GPU's NIC upwards.</summary>
public enum LinkTier : byte
{
    GpuLeaf,
    LeafSpine,
    SpineCore,
}
