using System.Globalization;

namespace Twin.Model.Scenarios;

/// <summary>Whether a metric or value is a plain number or a duration (held in seconds).</summary>
public enum ValueUnit : byte
{
    Number,
    Duration,
}

/// <summary>Comparison of an expectation; <see cref="Between"/> is <c>metric in low..high</c>, both ends included.</summary>
public enum CompareOp : byte
{
    Less,
    LessOrEqual,
    Equal,
    NotEqual,
    GreaterOrEqual,
    Greater,
    Between,
}

/// <summary>
/// A metric of a finished run, by dotted path: <c>job.goodput</c>, <c>job.train.interruptions</c>,
/// <c>recovery.p95</c>, <c>site.east.usableGpus.min</c>. <see cref="Total"/> says what <c>total</c> means beside it.
/// </summary>
public sealed record MetricPath(string Text, string[] Parts, ValueUnit Unit, string? Total)
{
    public override string ToString() => Text;
}

/// <summary>The right side of an expectation: numbers, durations, <c>total</c>, and products of them.</summary>
public abstract record ValueExpr
{
    /// <summary>Evaluates to seconds for durations; <paramref name="total"/> supplies <c>total</c>.</summary>
    public abstract double Evaluate(double total);
}

/// <summary>A number or a duration (seconds) as written.</summary>
public sealed record LiteralValue(double Value, ValueUnit Unit, string Text) : ValueExpr
{
    public override double Evaluate(double total) => Value;

    public override string ToString() => Text;
}

/// <summary>The metric's total, e.g. a site's GPU count beside its usable GPUs.</summary>
public sealed record TotalValue : ValueExpr
{
    public override double Evaluate(double total) => total;

    public override string ToString() => "total";
}

/// <summary><c>left * right</c>.</summary>
public sealed record ProductValue(ValueExpr Left, ValueExpr Right) : ValueExpr
{
    public override double Evaluate(double total) => Left.Evaluate(total) * Right.Evaluate(total);

    public override string ToString() => $"{Left} * {Right}";
}

/// <summary>A parsed expectation such as <c>recovery.p95 &lt;= 15m</c>: the text it came from, metric, operator, bound(s).</summary>
public sealed record Expectation(string Text, MetricPath Metric, CompareOp Op, ValueExpr Right, ValueExpr? Upper = null)
{
    /// <summary>Whether <paramref name="actual"/> satisfies the expectation, with <paramref name="total"/> for <c>total</c>.</summary>
    public bool Holds(double actual, double total)
    {
        var r = Right.Evaluate(total);
        // Equality on measured doubles allows for rounding in sums of seconds.
        var eps = 1e-9 * Math.Max(1, Math.Abs(r));
        return Op switch
        {
            CompareOp.Less => actual < r,
            CompareOp.LessOrEqual => actual <= r + eps,
            CompareOp.Equal => Math.Abs(actual - r) <= eps,
            CompareOp.NotEqual => Math.Abs(actual - r) > eps,
            CompareOp.GreaterOrEqual => actual >= r - eps,
            CompareOp.Greater => actual > r,
            CompareOp.Between => actual >= r - eps && actual <= Upper!.Evaluate(total) + eps,
            _ => false,
        };
    }

    /// <summary>The bound(s) as text with <c>total</c> resolved, for reports.</summary>
    public string Describe(double total)
    {
        string Show(ValueExpr e)
        {
            var v = e.Evaluate(total);
            return Metric.Unit == ValueUnit.Duration ? Time.DurationText.Format(TimeSpan.FromSeconds(Math.Round(v, 3)))
                : v.ToString("0.####", CultureInfo.InvariantCulture);
        }
        return Op switch
        {
            CompareOp.Between => $"{Show(Right)}..{Show(Upper!)}",
            _ => $"{OpText(Op)} {Show(Right)}",
        };
    }

    public static string OpText(CompareOp op) => op switch
    {
        CompareOp.Less => "<",
        CompareOp.LessOrEqual => "<=",
        CompareOp.Equal => "==",
        CompareOp.NotEqual => "!=",
        CompareOp.GreaterOrEqual => ">=",
        CompareOp.Greater => ">",
        _ => "in",
    };
}
