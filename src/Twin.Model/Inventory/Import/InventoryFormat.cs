namespace Twin.Model.Inventory.Import;

/// <summary>Files the twin imports an inventory from.</summary>
public enum InventoryFormat : byte
{
    /// <summary>The twin's own inventory document (YAML or JSON).</summary>
    Twin,

    /// <summary>InfiniBand <c>ibnetdiscover</c> output (and ibsim's dialect of it).</summary>
    Ibnetdiscover,

    /// <summary>NVIDIA Air / Cumulus topology_converter <c>topology.dot</c>.</summary>
    Dot,

    /// <summary>NetBox REST API JSON (devices, interfaces, cables, interface connections) or bulk-import CSV.</summary>
    Netbox,

    /// <summary>Slurm <c>topology.conf</c> (topology/tree switches, topology/block blocks).</summary>
    Slurm,

    /// <summary>LLDP neighbours: <c>lldpctl -f json0</c> / <c>net show lldp json</c>, Arista <c>show lldp neighbors [detail]</c>, SuzieQ captures of them.</summary>
    Lldp,
}
