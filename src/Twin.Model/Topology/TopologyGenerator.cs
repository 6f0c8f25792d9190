using Twin.Model.Inventory;

namespace Twin.Model.Topology;

/// <summary>
/// Expands a <see cref="TopologySpec"/> into every device and link, deterministically, through its inventory
/// (<see cref="InventoryGenerator"/>) and the same conversion imported inventories take: the same file always
/// yields the same ids in the same order, so every silo agrees without sharing state.
/// </summary>
public static class TopologyGenerator
{
    public static FactoryTopology Generate(TopologySpec spec) =>
        InventoryConverter.ToTopology(InventoryGenerator.Generate(spec), spec);

    public static FactoryTopology Load(string path) => Generate(TopologyLoader.LoadFile(path));

    public static string HostId(int host) => InventoryGenerator.HostName(host);
}
