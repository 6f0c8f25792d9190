namespace Twin.Model.Topology;

/// <summary>One problem in a topology file: where it is (1-based line and column, field path) and what is wrong.</summary>
public sealed record TopologyError(int Line, int Column, string Field, string Message)
{
    public override string ToString() => $"line {Line}, column {Column}: {Field}: {Message}";
}

/// <summary>A topology file that cannot be used; <see cref="Errors"/> lists every problem found.</summary>
public sealed class TopologyException(string source, IReadOnlyList<TopologyError> errors)
    : Exception($"{source}: {errors.Count} error(s): " + string.Join("; ", errors))
{
    public IReadOnlyList<TopologyError> Errors { get; } = errors;
}
