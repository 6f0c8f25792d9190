using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Twin.Client;
using Twin.Client.Views;
using Twin.Contracts.Scenarios;
using Twin.Model.Scenarios;

namespace Twin.Silo.Cli.Remote;

/// <summary>
/// <c>twin scenario run --remote NAME</c>: starts a run of a scenario the remote twin ships, follows its progress,
/// then prints and saves the report. Exit code 0 when every expectation held, 1 otherwise.
/// </summary>
public static class RemoteScenarioRun
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public static async Task<int> Run(TwinClient client, CliOutput output, string name, ScenarioRunRequest request, DirectoryInfo? reportDir,
        CancellationToken cancellationToken)
    {
        var status = await client.StartScenarioRunAsync(name, request, cancellationToken);
        output.Error.WriteLine($"run {status.Id} of {name} started on {client.Options.BaseAddress}");
        if (output.Interactive)
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask($"{name} ({status.Id})", maxValue: 1.0);
                    status = await Follow(client, status, s =>
                    {
                        task.Value = s.Progress;
                        task.Description = $"{name}: {s.VirtualSeconds / 3600:0.#}h of {s.DurationSeconds / 3600:0.#}h, {s.Interruptions} interruptions";
                    }, cancellationToken);
                    task.Value = 1.0;
                });
        }
        else
        {
            var shown = -1;
            status = await Follow(client, status, s =>
            {
                // redirected output gets a line per tenth, not a redrawn bar
                var tenth = (int)(s.Progress * 10);
                if (tenth > shown)
                {
                    shown = tenth;
                    output.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {s.Progress:P0}, {s.Interruptions} interruptions"));
                }
            }, cancellationToken);
        }
        if (status.State == "error")
        {
            output.Error.WriteLine($"run {status.Id} failed: {status.Error}");
            return ExitCodes.Failure;
        }

        var report = await client.GetScenarioReportAsync(status.Id, cancellationToken);
        var dir = reportDir?.FullName ?? Path.Combine("out", name);
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "report.json"), report.ToJson(), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(dir, "report.html"), await client.GetScenarioReportHtmlAsync(status.Id, cancellationToken), cancellationToken);

        output.Table(["expectation", "actual", "result"], report.Expectations.Select(e => new[] { e.Name, e.ActualText, e.Passed ? "pass" : "FAIL" }));
        output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name} ({status.Id}): {report.VirtualSeconds / 3600:0.#}h virtual in {report.WallSeconds:0.0} s wall, {report.Interruptions} interruptions, goodput {report.Goodput:P2} → {dir}"));
        output.Out.WriteLine(report.Passed ? "passed" : "failed");
        return report.Passed ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static async Task<ScenarioRunStatus> Follow(TwinClient client, ScenarioRunStatus status, Action<ScenarioRunStatus> show, CancellationToken cancellationToken)
    {
        show(status);
        while (status.State == "running")
        {
            await Task.Delay(Poll, cancellationToken);
            status = await client.GetScenarioRunAsync(status.Id, cancellationToken);
            show(status);
        }
        return status;
    }
}
