namespace Twin.Model.Scenarios;

/// <summary>One problem in a scenario file: where it is (1-based line and column, field path) and what is wrong.</summary>
public sealed record ScenarioError(int Line, int Column, string Field, string Message)
{
    public override string ToString() => $"line {Line}, column {Column}: {Field}: {Message}";
}

/// <summary>A scenario file that cannot be run; <see cref="Errors"/> lists every problem found.</summary>
public sealed class ScenarioException(string source, IReadOnlyList<ScenarioError> errors)
    : Exception($"{source}: {errors.Count} error(s): " + string.Join("; ", errors))
{
    public IReadOnlyList<ScenarioError> Errors { get; } = errors;
}
