using System.Text;
using System.Text.Json;

namespace Twin.Model.Inventory.Import;

/// <summary>Reads JSON inputs for importers: one document, or several back to back (SuzieQ captures), with depth bounded.</summary>
internal static class JsonInput
{
    public const int MaxDepth = 64;

    public static List<JsonElement> ReadAll(ImportFile file)
    {
        var bytes = Encoding.UTF8.GetBytes(file.Text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Skip });
        var values = new List<JsonElement>();
        try
        {
            while (reader.Read())
            {
                using var doc = JsonDocument.ParseValue(ref reader);
                values.Add(doc.RootElement.Clone());
            }
        }
        catch (JsonException e)
        {
            throw new InventoryException(file.Name, [new InventoryIssue(file.Name, (int?)e.LineNumber + 1, $"not valid JSON: {e.Message}")]);
        }
        if (values.Count == 0)
        {
            throw new InventoryException(file.Name, [new InventoryIssue(file.Name, null, "the file holds no JSON value")]);
        }
        return values;
    }

    public static JsonElement? Parse(string text, string name)
    {
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = MaxDepth });
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A property, or the first element when the value is an array (lldpctl json0 wraps everything in lists).</summary>
    public static JsonElement? Get(this JsonElement e, string name)
    {
        if (e.ValueKind == JsonValueKind.Array)
        {
            e = e.GetArrayLength() > 0 ? e[0] : default;
        }
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return v;
    }

    public static string? Str(this JsonElement? e, string name)
    {
        if (e?.Get(name) is not { } v)
        {
            return null;
        }
        if (v.ValueKind == JsonValueKind.Array)
        {
            v = v.GetArrayLength() > 0 ? v[0] : default;
        }
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
            JsonValueKind.Object when v.TryGetProperty("value", out var inner) && inner.ValueKind == JsonValueKind.String => inner.GetString(),
            _ => null,
        };
    }

    public static string? Str(this JsonElement e, string name) => ((JsonElement?)e).Str(name);

    public static IEnumerable<JsonElement> Items(this JsonElement e) => ((JsonElement?)e).Items();

    public static IEnumerable<JsonElement> Items(this JsonElement? e) =>
        e is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray() : e is { ValueKind: JsonValueKind.Object } o ? [o] : [];
}
