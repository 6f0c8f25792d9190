using System.CommandLine;
using Twin.Silo.Cli;
using Twin.Silo.Hosting;

// With no verb the process runs the twin; verbs run one job and exit.
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
return await root.Parse(args).InvokeAsync();

/// <summary>Entry point type, visible to tests.</summary>
public partial class Program;
