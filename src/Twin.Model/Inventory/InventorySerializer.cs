using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Twin.Model.Inventory;

/// <summary>
/// The inventory document in JSON and YAML (one model: YAML is read into the same JSON tree and bound by the same
/// rules, so both spellings accept exactly the same fields), and its JSON Schema. Unknown fields are errors.
/// </summary>
public static partial class InventorySerializer
{
    /// <summary>Deepest nesting accepted; the document itself needs 6.</summary>
    public const int MaxDepth = 32;

    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static InventoryDocument ReadJson(string json, string source = "inventory")
    {
        try
        {
            return Bind(JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth }), source);
        }
        catch (JsonException e)
        {
            throw new InventoryException(source, [new InventoryIssue(e.Path ?? "$", (int?)e.LineNumber + 1, e.Message)]);
        }
    }

    public static InventoryDocument ReadYaml(string yaml, string source = "inventory")
    {
        var stream = new YamlStream();
        try
        {
            CheckYamlDepth(yaml, source);
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new InventoryException(source, [new InventoryIssue("$", (int)e.Start.Line, e.InnerException?.Message ?? e.Message)]);
        }
        if (stream.Documents.Count == 0)
        {
            throw new InventoryException(source, [new InventoryIssue("$", 1, "the document is empty")]);
        }
        return Bind(ToJson(stream.Documents[0].RootNode, 0, source), source);
    }

    /// <summary>Reads either spelling: JSON when the first non-blank character opens an object.</summary>
    public static InventoryDocument Read(string text, string source = "inventory") =>
        text.AsSpan().TrimStart().StartsWith("{") ? ReadJson(text, source) : ReadYaml(text, source);

    public static string WriteJson(InventoryDocument inventory) => JsonSerializer.Serialize(inventory, Options);

    public static string WriteYaml(InventoryDocument inventory)
    {
        var text = new StringBuilder();
        WriteYaml(JsonSerializer.SerializeToNode(inventory, Options)!, text, 0, inList: false);
        return text.ToString();
    }

    /// <summary>The JSON Schema (draft 2020-12) of the inventory document.</summary>
    public static JsonObject Schema()
    {
        var schema = (JsonObject)JsonSchemaExporter.GetJsonSchemaAsNode(Options, typeof(InventoryDocument),
            new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
        var result = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = "AI Factory Twin inventory",
            ["description"] = "Sites with named hosts (GPUs, NICs, DPU), switches, cables between ports, storage nodes, and DCI circuits between sites. YAML documents follow the same schema.",
        };
        foreach (var (key, value) in schema.ToList())
        {
            schema.Remove(key);
            result[key] = value;
        }
        return result;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            RespectNullableAnnotations = true,
            MaxDepth = MaxDepth,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly();
        return options;
    }

    private static InventoryDocument Bind(JsonNode? node, string source)
    {
        if (node is not JsonObject)
        {
            throw new InventoryException(source, [new InventoryIssue("$", null, "the document must be an object with 'sites'")]);
        }
        try
        {
            return node.Deserialize<InventoryDocument>(Options)!;
        }
        catch (JsonException e)
        {
            throw new InventoryException(source, [new InventoryIssue(e.Path ?? "$", null, e.Message)]);
        }
    }

    // Block nesting costs indentation; flow nesting costs brackets: refuse either beyond MaxDepth before parsing.
    private static void CheckYamlDepth(string yaml, string source)
    {
        var depth = 0;
        var line = 1;
        var lineStart = true;
        var indent = 0;
        foreach (var c in yaml)
        {
            if (c == '\n')
            {
                line++;
                lineStart = true;
                indent = 0;
                continue;
            }
            if (lineStart && c == ' ')
            {
                if (++indent > MaxDepth * 8)
                {
                    throw new InventoryException(source, [new InventoryIssue("$", line, $"indentation deeper than {MaxDepth * 8} columns")]);
                }
                continue;
            }
            lineStart = false;
            depth += c switch { '[' or '{' => 1, ']' or '}' => -1, _ => 0 };
            if (depth > MaxDepth)
            {
                throw new InventoryException(source, [new InventoryIssue("$", line, $"nested deeper than {MaxDepth} levels")]);
            }
        }
    }

    private static JsonNode? ToJson(YamlNode node, int depth, string source)
    {
        if (depth > MaxDepth)
        {
            throw new InventoryException(source, [new InventoryIssue("$", (int)node.Start.Line, $"nested deeper than {MaxDepth} levels")]);
        }
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (key, value) in map.Children)
                {
                    var name = (key as YamlScalarNode)?.Value ?? "";
                    if (obj.ContainsKey(name))
                    {
                        throw new InventoryException(source, [new InventoryIssue(name, (int)key.Start.Line, $"'{name}' is given twice")]);
                    }
                    obj[name] = ToJson(value, depth + 1, source);
                }
                return obj;
            case YamlSequenceNode seq:
                var array = new JsonArray();
                foreach (var item in seq.Children)
                {
                    array.Add(ToJson(item, depth + 1, source));
                }
                return array;
            case YamlScalarNode scalar:
                var v = scalar.Value ?? "";
                if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
                {
                    return JsonValue.Create(v);
                }
                if (v is "" or "~" or "null" or "Null" or "NULL")
                {
                    return null;
                }
                if (v is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
                {
                    return JsonValue.Create(v.Equals("true", StringComparison.OrdinalIgnoreCase));
                }
                if (YamlNumber().IsMatch(v))
                {
                    return v.Contains('.') || v.Contains('e') || v.Contains('E') || v.Length > 15
                        ? JsonValue.Create(double.Parse(v, CultureInfo.InvariantCulture))
                        : JsonValue.Create(long.Parse(v, CultureInfo.InvariantCulture));
                }
                return JsonValue.Create(v);
            default:
                return null;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$")]
    private static partial System.Text.RegularExpressions.Regex YamlNumber();

    private static void WriteYaml(JsonNode node, StringBuilder text, int indent, bool inList)
    {
        var pad = new string(' ', indent);
        switch (node)
        {
            case JsonObject obj:
                var first = true;
                foreach (var (key, value) in obj)
                {
                    if (value is null)
                    {
                        continue;
                    }
                    text.Append(first && inList ? "" : pad).Append(key).Append(':');
                    first = false;
                    WriteValue(value, text, indent + 2);
                }
                if (first)
                {
                    text.Append(inList ? "{}\n" : pad + "{}\n");
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    text.Append(pad).Append("- ");
                    if (item is JsonObject or JsonArray)
                    {
                        WriteYaml(item, text, indent + 2, inList: true);
                    }
                    else
                    {
                        text.Append(Scalar(item)).Append('\n');
                    }
                }
                break;
        }
    }

    private static void WriteValue(JsonNode value, StringBuilder text, int indent)
    {
        if (value is JsonArray { Count: 0 })
        {
            text.Append(" []\n");
        }
        else if (value is JsonObject or JsonArray)
        {
            text.Append('\n');
            WriteYaml(value, text, indent, inList: false);
        }
        else
        {
            text.Append(' ').Append(Scalar(value)).Append('\n');
        }
    }

    // JSON's string and number spellings are valid YAML flow scalars, so quoting with JSON is always safe.
    private static string Scalar(JsonNode? node) => node is null ? "null" : node.ToJsonString(Options);
}
