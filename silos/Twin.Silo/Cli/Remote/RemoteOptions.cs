using System.CommandLine;
using Twin.Client;

namespace Twin.Silo.Cli.Remote;

/// <summary>
/// The options every remote verb shares: where the twin is (<c>--url</c> / <c>TWIN_URL</c>), which key to present
/// (<c>--key</c> / <c>TWIN_API_KEY</c>) and the output format. Recursive, so they go on the verb group once.
/// </summary>
public sealed class RemoteOptions
{
    public const string DefaultUrl = "http://localhost:5000";

    public Option<Uri> Url { get; } = new("--url")
    {
        Description = $"the twin's address (env TWIN_URL; default {DefaultUrl})",
        Recursive = true,
        DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable("TWIN_URL") is { Length: > 0 } url ? url : DefaultUrl),
        CustomParser = r => Uri.TryCreate(r.Tokens[0].Value, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"
            ? u
            : Invalid<Uri>(r, $"--url '{r.Tokens[0].Value}' is not an absolute http(s) address"),
    };

    public Option<string?> Key { get; } = new("--key")
    {
        Description = "API key, sent as 'Authorization: Bearer' (env TWIN_API_KEY)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TWIN_API_KEY"),
    };

    public Option<OutputFormat> Output { get; } = new("--output", "-o")
    {
        Description = "table, wide (more columns) or json (camelCase, for scripts)",
        Recursive = true,
        DefaultValueFactory = _ => OutputFormat.Table,
    };

    /// <summary>Adds the connection options (and, when asked, the output format) to a verb group.</summary>
    public T AddTo<T>(T command, bool output = true) where T : Command
    {
        command.Add(Url);
        command.Add(Key);
        if (output)
        {
            command.Add(Output);
        }
        return command;
    }

    public TwinClient Client(ParseResult result) =>
        TwinClient.Create(new TwinClientOptions { BaseAddress = result.GetValue(Url)!, ApiKey = result.GetValue(Key) });

    private static T Invalid<T>(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return default!;
    }
}
