using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace Twin.Bench;

/// <summary>Prints the figures as a table and writes bench/results.md and bench/results.json.</summary>
public static class Report
{
    public static void Write(IReadOnlyList<Figure> figures, string directory, string machine)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("figure").AddColumn(new TableColumn("value").RightAligned()).AddColumn("unit")
            .AddColumn(new TableColumn("baseline").RightAligned()).AddColumn("baseline is").AddColumn(new TableColumn("ratio").RightAligned());
        foreach (var f in figures)
        {
            table.AddRow(f.Name, N(f.Value), f.Unit, N(f.Baseline), $"{f.BaselineWhat} ({f.BaselineUnit})", f.Ratio.ToString("0.000", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);

        Directory.CreateDirectory(directory);
        var json = figures.ToDictionary(f => f.Name, f => new
        {
            value = Math.Round(f.Value, 3),
            unit = f.Unit,
            baseline = Math.Round(f.Baseline, 3),
            baselineUnit = f.BaselineUnit,
            baselineIs = f.BaselineWhat,
            ratio = Math.Round(f.Ratio, 4),
        });
        File.WriteAllText(Path.Combine(directory, "results.json"), JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));

        var md = new StringBuilder();
        md.AppendLine("# Benchmark results").AppendLine();
        md.AppendLine($"Measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {machine}. Every figure stands beside a baseline measured in the same run.").AppendLine();
        md.AppendLine("| figure | value | unit | baseline | baseline is | ratio |");
        md.AppendLine("|---|---:|---|---:|---|---:|");
        foreach (var f in figures)
        {
            md.AppendLine($"| `{f.Name}` | {N(f.Value)} | {f.Unit} | {N(f.Baseline)} | {f.BaselineWhat} ({f.BaselineUnit}) | {f.Ratio:0.000} |");
        }
        File.WriteAllText(Path.Combine(directory, "results.md"), md.ToString());
    }

    private static string N(double v) => Math.Abs(v) >= 100 ? v.ToString("N0", CultureInfo.InvariantCulture) : v.ToString("0.###", CultureInfo.InvariantCulture);
}
