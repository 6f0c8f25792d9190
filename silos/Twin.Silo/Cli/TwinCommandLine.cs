using System.CommandLine;
using Twin.Silo.Cli.Remote;
using Twin.Silo.Hosting;

namespace Twin.Silo.Cli;

/// <summary>
/// The <c>twin</c> command line: with no verb it runs the twin; verbs run one job and exit. Remote verbs (get, describe,
/// events, fault, job, forecast, scenario run --remote) talk to a running twin through Twin.Client. Shell completion comes from
/// System.CommandLine's <c>[suggest]</c> directive, which <c>dotnet-suggest</c> calls.
/// </summary>
public static class TwinCommandLine
{
    public static RootCommand Create(string[] args)
    {
        var root = new RootCommand("AI factory twin: run the twin (no verb), run one job, or operate a running twin (--url, --key).\n\n" +
            $"Exit codes: {ExitCodes.Ok} ok, {ExitCodes.Failure} failure or API error, {ExitCodes.Usage} usage error, {ExitCodes.Auth} API key refused (401/403).")
        {
            TopologyCommands.Create(),
            InventoryCommand.Create(),
            PlanCommand.Create(),
            ScenarioCommand.Create(),
            GetCommand.Create(),
            DescribeCommand.Create(),
            EventsCommand.Create(),
            FaultCommand.Create(),
            JobCommand.Create(),
            ForecastCommand.Create(),
        };
        root.WithExamples("twin                                   # run the twin", "twin get sites --url http://twin:5000 --key $TWIN_API_KEY",
            "twin events --watch --kind fault-injected", "twin fault inject gpu-xid east/gpu/h0000-1 --param xid=79");
        HelpExamples.Install(root);
        root.TreatUnmatchedTokensAsErrors = false; // configuration arguments (--Twin:Topology=...) pass through to the host
        root.SetAction(async (_, cancellationToken) =>
        {
            var app = TwinHost.Build(args);
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; a command line that does not parse exits with <see cref="ExitCodes.Usage"/>.</summary>
    public static async Task<int> InvokeAsync(string[] args, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        var result = Create(args).Parse(args);
        var code = await result.InvokeAsync(configuration, cancellationToken);
        // a parse error runs System.CommandLine's error action (exit 1); help with a missing argument is not an error
        return result.Action is System.CommandLine.Invocation.ParseErrorAction ? ExitCodes.Usage : code;
    }
}
