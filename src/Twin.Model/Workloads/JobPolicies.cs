namespace Twin.Model.Workloads;

/// <summary>How REST bodies and scenario files spell a job's policies: <c>spares</c>/<c>shrink</c>, <c>stop</c>/<c>split</c>.</summary>
public static class JobPolicies
{
    public static string Name(this FailurePolicy policy) => policy switch
    {
        FailurePolicy.Spares => "spares",
        FailurePolicy.Shrink => "shrink",
        _ => throw new ArgumentOutOfRangeException(nameof(policy)),
    };

    public static string Name(this DciCutPolicy policy) => policy switch
    {
        DciCutPolicy.Stop => "stop",
        DciCutPolicy.Split => "split",
        _ => throw new ArgumentOutOfRangeException(nameof(policy)),
    };

    public static bool TryParse(string? text, out FailurePolicy policy) => TryParse(text, Name, out policy);

    public static bool TryParse(string? text, out DciCutPolicy policy) => TryParse(text, Name, out policy);

    private static bool TryParse<T>(string? text, Func<T, string> name, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(text, name(candidate), StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }
}
