using System.Globalization;

namespace Twin.Model.Security;

/// <summary>An inclusive port range; <c>443</c>, <c>8000-8999</c>.</summary>
public readonly record struct PortRange(int From, int To)
{
    public static readonly PortRange All = new(0, 65535);

    public bool Contains(int port) => port >= From && port <= To;

    public bool Covers(PortRange other) => From <= other.From && other.To <= To;

    public static bool TryParse(string? text, out PortRange range)
    {
        range = All;
        if (string.IsNullOrWhiteSpace(text) || text == "*")
        {
            return true;
        }
        var parts = text.Split('-', 2);
        if (int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var from) &&
            int.TryParse(parts.Length == 2 ? parts[1] : parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var to) &&
            from is >= 0 and <= 65535 && to is >= 0 and <= 65535 && from <= to)
        {
            range = new PortRange(from, to);
            return true;
        }
        return false;
    }

    public override string ToString() => From == To ? From.ToString(CultureInfo.InvariantCulture) : $"{From}-{To}";
}
