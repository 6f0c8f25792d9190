using System.Text;

namespace Twin.Model.Inventory;

/// <summary>
/// What a name may be to become part of a device id that needs no percent-encoding in a URL path, and how
/// importers turn real names (<c>MF0;A09-P1-IBLEAF-04-04:MQM9701/U1</c>, <c>leaf01.dc1</c>) into one.
/// </summary>
public static class InventoryNames
{
    /// <summary>Letters, digits, '.', '_' and '-', at most 128 characters, not starting with '.'.</summary>
    public static bool IsName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 128 && name[0] != '.' && name.All(IsNameChar);

    /// <summary>Site names are the first id segment: lower-case letters, digits and '-', starting with a letter.</summary>
    public static bool IsSiteName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 64 && char.IsAsciiLetterLower(name[0])
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    /// <summary>Lower-cased, every run of other characters replaced by one '-', trimmed; null when nothing is left.</summary>
    public static string? Slug(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var b = new StringBuilder(text.Length);
        foreach (var ch in text.Trim())
        {
            var c = char.ToLowerInvariant(ch);
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
            {
                b.Append(c);
            }
            else if (b.Length > 0 && b[^1] != '-')
            {
                b.Append('-');
            }
        }
        var slug = b.ToString().Trim('-', '.');
        return slug.Length == 0 ? null : slug.Length > 128 ? slug[..128] : slug;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';
}
