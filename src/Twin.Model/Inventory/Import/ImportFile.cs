namespace Twin.Model.Inventory.Import;

/// <summary>One input file: its name (for messages and NetBox CSV kinds) and its text, BOM and CR already removed.</summary>
public sealed record ImportFile(string Name, string Text)
{
    /// <summary>Largest file accepted (the SuperPOD dump of 1,336 adapters is under 1 MB).</summary>
    public const int MaxBytes = 64 * 1024 * 1024;

    /// <summary>
    /// Decodes <paramref name="bytes"/> as UTF-8 text: refuses binary (NUL bytes, invalid UTF-8) and oversized input with
    /// a clear error, drops a byte-order mark and turns CRLF into LF.
    /// </summary>
    public static ImportFile FromBytes(string name, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxBytes)
        {
            throw new InventoryException(name, [new InventoryIssue("$", null, $"file of {bytes.Length:N0} bytes is over the {MaxBytes:N0}-byte limit")]);
        }
        var nul = bytes.IndexOf((byte)0);
        if (nul >= 0)
        {
            throw new InventoryException(name, [new InventoryIssue("$", Line(bytes, nul), $"binary content (a NUL byte at offset {nul}): expected a text file")]);
        }
        string text;
        try
        {
            text = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException e)
        {
            throw new InventoryException(name, [new InventoryIssue("$", null, $"not UTF-8 text (invalid byte at offset {e.Index}): expected a text file")]);
        }
        return FromText(name, text);
    }

    public static ImportFile FromText(string name, string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }
        return new ImportFile(name, text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n'));
    }

    private static int Line(ReadOnlySpan<byte> bytes, int offset) => bytes[..offset].Count((byte)'\n') + 1;
}
