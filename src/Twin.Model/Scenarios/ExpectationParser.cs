using System.Globalization;
using Twin.Model.Time;

namespace Twin.Model.Scenarios;

/// <summary>
/// Parses expectation text: <c>METRIC OP VALUE</c> with OP one of <c>&lt; &lt;= == != &gt;= &gt;</c>, or
/// <c>METRIC in LOW..HIGH</c>. VALUE is a product (<c>*</c>) of numbers, durations (<c>15m</c>) and <c>total</c>.
/// A duration metric compares with durations, a number metric with numbers.
/// </summary>
public static class ExpectationParser
{
    public static Expectation? Parse(string text, IReadOnlyCollection<string> jobs, IReadOnlyCollection<string>? sites, out string? error)
    {
        error = null;
        var tokens = Tokenize(text, out error);
        if (tokens is null)
        {
            return null;
        }
        var pos = 0;
        if (tokens.Count == 0 || tokens[0].Kind != TokenKind.Word)
        {
            error = "must start with a metric, as in 'job.goodput >= 0.9'";
            return null;
        }
        var metric = ScenarioMetrics.Resolve(tokens[pos++].Text, jobs, sites, out error);
        if (metric is null)
        {
            return null;
        }
        if (pos >= tokens.Count)
        {
            error = "needs an operator (<, <=, ==, !=, >=, >, in) and a value";
            return null;
        }
        var opToken = tokens[pos++];
        CompareOp? op = opToken.Text switch
        {
            "<" => CompareOp.Less,
            "<=" => CompareOp.LessOrEqual,
            "==" => CompareOp.Equal,
            "!=" => CompareOp.NotEqual,
            ">=" => CompareOp.GreaterOrEqual,
            ">" => CompareOp.Greater,
            "in" => CompareOp.Between,
            _ => null,
        };
        if (op is null)
        {
            error = $"'{opToken.Text}' is not an operator; use <, <=, ==, !=, >=, > or in";
            return null;
        }
        var right = Product(tokens, ref pos, metric, out error);
        if (right is null)
        {
            return null;
        }
        ValueExpr? upper = null;
        if (op == CompareOp.Between)
        {
            if (pos >= tokens.Count || tokens[pos].Kind != TokenKind.Range)
            {
                error = "'in' needs a range LOW..HIGH";
                return null;
            }
            pos++;
            upper = Product(tokens, ref pos, metric, out error);
            if (upper is null)
            {
                return null;
            }
        }
        if (pos < tokens.Count)
        {
            error = $"unexpected '{tokens[pos].Text}' after the value";
            return null;
        }
        return new Expectation(text.Trim(), metric, op.Value, right, upper);
    }

    private static ValueExpr? Product(List<Token> tokens, ref int pos, MetricPath metric, out string? error)
    {
        var left = Factor(tokens, ref pos, metric, out error);
        while (left is not null && pos < tokens.Count && tokens[pos].Kind == TokenKind.Times)
        {
            pos++;
            var right = Factor(tokens, ref pos, metric, out error);
            if (right is null)
            {
                return null;
            }
            left = new ProductValue(left, right);
        }
        if (left is not null && UnitOf(left) is var unit && unit != metric.Unit)
        {
            error = metric.Unit == ValueUnit.Duration
                ? $"{metric.Text} is a duration: compare it with a duration such as 15m"
                : $"{metric.Text} is a number: compare it with a number, not a duration";
            return null;
        }
        return left;
    }

    private static ValueUnit UnitOf(ValueExpr e) => e switch
    {
        LiteralValue l => l.Unit,
        ProductValue p => UnitOf(p.Left) == ValueUnit.Duration || UnitOf(p.Right) == ValueUnit.Duration ? ValueUnit.Duration : ValueUnit.Number,
        _ => ValueUnit.Number,
    };

    private static ValueExpr? Factor(List<Token> tokens, ref int pos, MetricPath metric, out string? error)
    {
        error = null;
        if (pos >= tokens.Count)
        {
            error = "needs a value after the operator";
            return null;
        }
        var t = tokens[pos++];
        switch (t.Kind)
        {
            case TokenKind.Number:
                return new LiteralValue(t.Value, ValueUnit.Number, t.Text);
            case TokenKind.Duration:
                return new LiteralValue(t.Value, ValueUnit.Duration, t.Text);
            case TokenKind.Word when t.Text == "total":
                if (metric.Total is null)
                {
                    error = $"'total' has no meaning beside {metric.Text}; it is the GPU count beside usableGpus metrics";
                    return null;
                }
                return new TotalValue();
            default:
                error = $"'{t.Text}' is not a number, a duration or 'total'";
                return null;
        }
    }

    private enum TokenKind : byte
    {
        Word,
        Number,
        Duration,
        Operator,
        Times,
        Range,
    }

    private readonly record struct Token(TokenKind Kind, string Text, double Value = 0);

    private static List<Token>? Tokenize(string text, out string? error)
    {
        error = null;
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '<' or '>' or '=' or '!')
            {
                var two = i + 1 < text.Length && text[i + 1] == '=';
                var op = text.Substring(i, two ? 2 : 1);
                if (op is "=" or "!")
                {
                    error = $"'{op}' is not an operator; use == or !=";
                    return null;
                }
                tokens.Add(new Token(TokenKind.Operator, op));
                i += op.Length;
            }
            else if (c == '*')
            {
                tokens.Add(new Token(TokenKind.Times, "*"));
                i++;
            }
            else if (c == '.' && i + 1 < text.Length && text[i + 1] == '.')
            {
                tokens.Add(new Token(TokenKind.Range, ".."));
                i += 2;
            }
            else if (char.IsAsciiDigit(c) || (c is '.' or '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                var start = i++;
                // A number runs over digits, one decimal point (not the '..' of a range) and an exponent.
                while (i < text.Length && (char.IsAsciiDigit(text[i]) ||
                    (text[i] == '.' && !(i + 1 < text.Length && text[i + 1] == '.')) ||
                    (text[i] is 'e' or 'E' && i + 1 < text.Length && (char.IsAsciiDigit(text[i + 1]) || text[i + 1] is '-' or '+')) ||
                    (text[i] is '-' or '+' && text[i - 1] is 'e' or 'E')))
                {
                    i++;
                }
                var numberEnd = i;
                while (i < text.Length && char.IsAsciiLetter(text[i]))
                {
                    i++;
                }
                var word = text[start..i];
                if (numberEnd == i)
                {
                    if (!double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
                    {
                        error = $"'{word}' is not a number";
                        return null;
                    }
                    tokens.Add(new Token(TokenKind.Number, word, n));
                }
                else if (DurationText.TryParse(word, out var d))
                {
                    tokens.Add(new Token(TokenKind.Duration, word, d.TotalSeconds));
                }
                else
                {
                    error = $"'{word}' is not a number or a duration (90s, 15m, 6h, 54d)";
                    return null;
                }
            }
            else if (char.IsAsciiLetter(c))
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '-' or '_' ||
                    (text[i] == '.' && i + 1 < text.Length && char.IsAsciiLetter(text[i + 1]))))
                {
                    i++;
                }
                var word = text[start..i];
                tokens.Add(new Token(word == "in" ? TokenKind.Operator : TokenKind.Word, word));
            }
            else
            {
                error = $"unexpected '{c}' at position {i + 1}";
                return null;
            }
        }
        return tokens;
    }
}
