using System.CommandLine;
using Twin.Silo.Cli;

namespace Twin.Client.Tests;

/// <summary>The <c>twin</c> command line run in process, as a shell would: its exit code and what it wrote to stdout and stderr.</summary>
public static class Cli
{
    public sealed record Result(int Code, string Out, string Error);

    public static async Task<Result> Run(params string[] args) => await Run(TestContext.Current.CancellationToken, args);

    public static async Task<Result> Run(CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await TwinCommandLine.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
        return new Result(code, output.ToString(), error.ToString());
    }
}
