namespace Twin.Model.Fabric;

/// <summary>Combining link states: a link under several faults is as bad as the worst of them.</summary>
public static class LinkStates
{
    /// <summary>Down outranks flapping, which outranks up.</summary>
    public static LinkState Worst(LinkState a, LinkState b) =>
        a == LinkState.Down || b == LinkState.Down ? LinkState.Down
        : a == LinkState.Flapping || b == LinkState.Flapping ? LinkState.Flapping
        : LinkState.Up;
}
