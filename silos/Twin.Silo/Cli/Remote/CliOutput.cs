using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;
using Twin.Client;

namespace Twin.Silo.Cli.Remote;

/// <summary>
/// Where a verb writes: the invocation's output and error writers (the console, or a test's capture). Tables are
/// Spectre tables sized to the terminal (or <c>COLUMNS</c> when output is redirected); JSON uses the API's own
/// camelCase conventions, so scripts see the same names as the REST surface.
/// </summary>
public sealed class CliOutput(TextWriter output, TextWriter error)
{
    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>True when writing straight to an interactive terminal (progress bars, colour).</summary>
    public bool Interactive { get; } = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;

    public static CliOutput From(ParseResult result) =>
        new(result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);

    public int Width => Interactive ? Math.Max(40, System.Console.WindowWidth)
        : int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0 ? columns : 160;

    public IAnsiConsole Terminal()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = Interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        console.Profile.Width = Width;
        return console;
    }

    public void Json<T>(T value) => Out.WriteLine(JsonSerializer.Serialize(value, TwinJson.Indented));

    /// <summary>One compact JSON object per line (for <c>--watch</c>, so each event is a line a script can read).</summary>
    public void JsonLine<T>(T value) => Out.WriteLine(JsonSerializer.Serialize(value, TwinJson.Options));

    /// <summary>
    /// Writes rows under headers, kubectl-style (no borders, two spaces between columns); cells are plain text (no
    /// markup). The first column (the id) never wraps; the others wrap when the terminal is too narrow.
    /// </summary>
    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var table = new Table().Border(TableBorder.None);
        for (var i = 0; i < headers.Count; i++)
        {
            var column = new TableColumn(new Text(headers[i].ToUpperInvariant())).Padding(0, 0, i == headers.Count - 1 ? 0 : 2, 0);
            table.AddColumn(i == 0 ? column.NoWrap() : column);
        }
        foreach (var row in rows)
        {
            table.AddRow(row.Select(c => (IRenderable)new Text(c ?? "")));
        }
        Terminal().Write(table);
    }

    /// <summary>Key/value pairs, for one resource (<c>describe</c>).</summary>
    public void Properties(IEnumerable<(string Name, string? Value)> properties)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        foreach (var (name, value) in properties)
        {
            grid.AddRow(new Text(name + ":"), new Text(value ?? ""));
        }
        Terminal().Write(grid);
    }
}
