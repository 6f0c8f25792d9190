using System.CommandLine;
using Twin.Silo.Hosting;

namespace Twin.Silo.Cli;

/// <summary>The <c>twin</c> command line: with no verb it runs the twin; verbs run one job and exit.</summary>
public static class TwinCommandLine
{
    public static RootCommand Create(string[] args)
    {
        var root = new RootCommand("AI factory twin: run the twin (no verb) or run one job.")
        {
            TopologyCommands.Create(),
            PlanCommand.Create(),
            ScenarioCommand.Create(),
        };
        root.TreatUnmatchedTokensAsErrors = false; // configuration arguments (--Twin:Topology=...) pass through to the host
        root.SetAction(async (_, cancellationToken) =>
        {
            var app = TwinHost.Build(args);
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return root;
    }
}
