using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Twin.Model.Topology;

/// <summary>
/// Reads typed fields from a YAML mapping and records every problem with its line and field path,
/// so a bad file is reported whole rather than one error at a time. Unknown keys are errors (typos).
/// </summary>
internal sealed class YamlFields(YamlMappingNode node, string path, List<TopologyError> errors)
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public YamlMappingNode Node => node;

    public string Path => path;

    public string Field(string key) => path.Length == 0 ? key : $"{path}.{key}";

    public void Error(YamlNode at, string field, string message) =>
        errors.Add(new TopologyError((int)at.Start.Line, (int)at.Start.Column, field, message));

    public YamlNode? Find(string key)
    {
        _read.Add(key);
        foreach (var (k, v) in node.Children)
        {
            if (k is YamlScalarNode s && s.Value == key)
            {
                return v;
            }
        }
        return null;
    }

    public string String(string key, string? fallback = null)
    {
        var v = Find(key);
        if (v is null)
        {
            if (fallback is null)
            {
                Error(node, Field(key), "is required");
            }
            return fallback ?? "";
        }
        if (v is YamlScalarNode { Value: { Length: > 0 } s })
        {
            return s;
        }
        Error(v, Field(key), "must be a non-empty string");
        return fallback ?? "";
    }

    public double Number(string key, double? fallback, double min, double max)
    {
        var v = Find(key);
        if (v is null)
        {
            if (fallback is null)
            {
                Error(node, Field(key), "is required");
                return min;
            }
            return fallback.Value;
        }
        if (v is not YamlScalarNode { Value: { } text } ||
            !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ||
            !double.IsFinite(value))
        {
            Error(v, Field(key), "must be a number");
            return fallback ?? min;
        }
        if (value < min || value > max)
        {
            Error(v, Field(key), $"{text} is out of range [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]");
            return Math.Clamp(value, min, max);
        }
        return value;
    }

    public int Integer(string key, int? fallback, int min, int max)
    {
        var v = Find(key);
        if (v is null)
        {
            if (fallback is null)
            {
                Error(node, Field(key), "is required");
                return min;
            }
            return fallback.Value;
        }
        if (v is not YamlScalarNode { Value: { } text } ||
            !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            Error(v, Field(key), "must be a whole number");
            return fallback ?? min;
        }
        if (value < min || value > max)
        {
            Error(v, Field(key), $"{value} is out of range [{min}, {max}]");
            return Math.Clamp(value, min, max);
        }
        return value;
    }

    public bool Boolean(string key, bool fallback)
    {
        var v = Find(key);
        if (v is null)
        {
            return fallback;
        }
        if (v is YamlScalarNode { Value: { } text } && bool.TryParse(text, out var value))
        {
            return value;
        }
        Error(v, Field(key), "must be true or false");
        return fallback;
    }

    public TEnum Enum<TEnum>(string key, TEnum? fallback) where TEnum : struct, Enum
    {
        var v = Find(key);
        if (v is null)
        {
            if (fallback is null)
            {
                Error(node, Field(key), "is required");
                return default;
            }
            return fallback.Value;
        }
        if (v is YamlScalarNode { Value: { } text } &&
            System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) &&
            System.Enum.IsDefined(value) && !char.IsDigit(text[0]))
        {
            return value;
        }
        var allowed = string.Join(", ", System.Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()));
        Error(v, Field(key), $"must be one of {allowed}");
        return fallback ?? default;
    }

    public YamlFields? Map(string key, bool required)
    {
        var v = Find(key);
        if (v is null)
        {
            if (required)
            {
                Error(node, Field(key), "is required");
            }
            return null;
        }
        if (v is YamlMappingNode m)
        {
            return new YamlFields(m, Field(key), errors);
        }
        Error(v, Field(key), "must be a mapping");
        return null;
    }

    public IEnumerable<YamlFields> List(string key, bool required)
    {
        var v = Find(key);
        if (v is null)
        {
            if (required)
            {
                Error(node, Field(key), "is required");
            }
            yield break;
        }
        if (v is not YamlSequenceNode seq)
        {
            Error(v, Field(key), "must be a list");
            yield break;
        }
        var i = 0;
        foreach (var item in seq.Children)
        {
            if (item is YamlMappingNode m)
            {
                yield return new YamlFields(m, $"{Field(key)}[{i}]", errors);
            }
            else
            {
                Error(item, $"{Field(key)}[{i}]", "must be a mapping");
            }
            i++;
        }
    }

    /// <summary>Reports keys that were never asked for; call after reading every field.</summary>
    public void RejectUnknown()
    {
        foreach (var (k, _) in node.Children)
        {
            if (k is YamlScalarNode { Value: { } key } && !_read.Contains(key))
            {
                Error(k, Field(key), "is not a known field");
            }
        }
    }

    public static YamlMappingNode? LoadRoot(string yaml, List<TopologyError> errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            errors.Add(new TopologyError((int)e.Start.Line, (int)e.Start.Column, "(document)", e.InnerException?.Message ?? e.Message));
            return null;
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add(new TopologyError(1, 1, "(document)", "the document must be a mapping"));
            return null;
        }
        return root;
    }
}
