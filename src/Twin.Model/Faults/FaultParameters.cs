using System.Globalization;

namespace Twin.Model.Faults;

/// <summary>Typed reads of a fault's parameters; numeric keys that do not parse are reported, not defaulted.</summary>
public sealed class FaultParameters(IReadOnlyDictionary<string, string>? values)
{
    /// <summary>Parameters that carry ids or names rather than numbers.</summary>
    private static readonly HashSet<string> TextKeys = ["link", "status"];

    public double? Number(string key) =>
        values is not null && values.TryGetValue(key, out var text) &&
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : null;

    public double Number(string key, double fallback) => Number(key) ?? fallback;

    public string? Text(string key) => values?.GetValueOrDefault(key);

    /// <summary>The first numeric parameter whose value is not a finite number, if any.</summary>
    public string? FirstInvalid() =>
        values?.Keys.FirstOrDefault(k => !TextKeys.Contains(k) && Number(k) is null);
}
