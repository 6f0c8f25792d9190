namespace Twin.Model.Collectives;

// Shared argument checks for the alpha–beta cost formulas.
internal static class CollectiveArgs
{
    public static void Check(double bytes, int ranks, double bandwidthBytesPerSecond, double alphaSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(ranks, 1);
        if (!(bandwidthBytesPerSecond > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(bandwidthBytesPerSecond), bandwidthBytesPerSecond, "bandwidth must be > 0");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(alphaSeconds);
    }
}
