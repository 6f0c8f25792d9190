namespace Twin.Model.Fabric;

/// <summary>
/// Operational state of a link (NIC, fabric or DCI), as the port reports it: up, down, or flapping (it went
/// down often enough within the flap window that traffic over it cannot be trusted).
/// </summary>
public enum LinkState : byte
{
    Up,
    Down,
    Flapping,
}
