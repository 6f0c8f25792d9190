using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Twin.Api.Views;

/// <summary>A fault's JSON parameters (<c>{"xid": 79}</c> or <c>{"xid": "79"}</c>) as the invariant-culture text the planner reads.</summary>
public static class ParameterText
{
    /// <summary>The parameters, or a 400 naming <c>{prefix}parameters.{key}</c> for a value neither number nor string.</summary>
    public static (Dictionary<string, string> Parameters, ProblemHttpResult? Problem) Read(Dictionary<string, JsonElement>? parameters, string prefix = "")
    {
        var text = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in parameters ?? [])
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Number:
                    text[key] = value.GetDouble().ToString("R", CultureInfo.InvariantCulture);
                    break;
                case JsonValueKind.String:
                    text[key] = value.GetString()!;
                    break;
                default:
                    var field = $"{prefix}parameters.{key}";
                    return (text, Problems.Problems.BadRequest(field, $"{field} must be a number or a string"));
            }
        }
        return (text, null);
    }
}
