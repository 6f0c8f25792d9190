using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Twin.Api.Views;

/// <summary>
/// The opaque paging cursor: the position in the topology's fixed device order where the next page
/// starts, base64url-encoded so clients do not build it by hand.
/// </summary>
public static class DeviceCursor
{
    private const string Prefix = "d1:";

    public static string Encode(int ordinal) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + ordinal.ToString(CultureInfo.InvariantCulture)));

    public static bool TryDecode(string cursor, out int ordinal)
    {
        ordinal = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith(Prefix, StringComparison.Ordinal) &&
                int.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out ordinal);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
