using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Twin.Client.Views;
using Twin.Grains.Scenarios;
using Twin.Model.Faults;
using Twin.Model.Health;
using Twin.Model.Scenarios;
using Twin.Model.Topology;
using Twin.Silo.Cli.Remote;
using Twin.Silo.Hosting;

namespace Twin.Silo.Cli;

/// <summary>
/// <c>twin scenario run FILE</c>: runs a fault-injection scenario on a virtual clock, on a fresh embedded twin of the
/// scenario's topology (its real grains) or on the pure simulated world, shows progress, writes report.json and
/// report.html, and exits 1 when an expectation fails (2 when the file is invalid).
/// </summary>
public static class ScenarioCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo?>("file") { Description = "scenario YAML (scenarios/faults/*.yaml); omit with --remote", Arity = ArgumentArity.ZeroOrOne };
        var remoteName = new Option<string?>("--remote") { Description = "run the scenario of this name that a running twin ships (--url, --key) instead of a local file" };
        var remote = new RemoteOptions();
        var speed = new Option<double?>("--speed") { Description = "virtual seconds per wall second (3600 = an hour a second); default as fast as possible" };
        var max = new Option<bool>("--max") { Description = "as fast as possible (the default)" };
        var seed = new Option<int?>("--seed") { Description = "override the scenario's seed" };
        var report = new Option<DirectoryInfo?>("--report") { Description = "folder for report.json and report.html (default: out/<scenario>)" };
        var world = new Option<string>("--world") { Description = "simulated (the pure model, the default) or twin (the real grains of a fresh embedded twin)", DefaultValueFactory = _ => "simulated" };
        world.AcceptOnlyFromAmong("twin", "simulated");
        var run = new Command("run", "Run a scenario and check its expectations: locally from a file, or on a running twin with --remote.")
        {
            file, remoteName, speed, max, seed, report, world, remote.Url, remote.Key,
        }.WithExamples("twin scenario run scenarios/faults/dci-cut.yaml --world twin", "twin scenario run --remote dci-cut --url http://twin:5000 --key $KEY --report out/dci-cut");
        run.Validators.Add(r =>
        {
            if ((r.GetValue(file) is null) == (r.GetValue(remoteName) is null))
            {
                r.AddError("give a scenario file, or --remote NAME for a scenario of a running twin (not both)");
            }
        });
        run.SetAction(async (result, cancellationToken) => result.GetValue(remoteName) is { } name
            ? await RemoteCall.Run(result, remote, cancellationToken, (client, output, token) => RemoteScenarioRun.Run(client, output, name,
                new ScenarioRunRequest(result.GetValue(seed), result.GetValue(max) ? null : result.GetValue(speed)), result.GetValue(report), token))
            : await Run(result.GetValue(file)!, result.GetValue(max) ? null : result.GetValue(speed), result.GetValue(seed),
                result.GetValue(report), result.GetValue(world)!, cancellationToken));
        return new Command("scenario", "Fault-injection scenarios.") { run };
    }

    private static async Task<int> Run(FileInfo file, double? speed, int? seed, DirectoryInfo? reportDir, string worldName, CancellationToken cancellationToken)
    {
        ScenarioSpec spec;
        try
        {
            spec = ScenarioLoader.LoadFile(file.FullName);
        }
        catch (ScenarioException e)
        {
            foreach (var error in e.Errors)
            {
                Console.Error.WriteLine($"{file.Name}:{error.Line}:{error.Column}: {error.Field}: {error.Message}");
            }
            return 2;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        if (seed is { } s)
        {
            spec = spec with { Seed = s };
        }

        await using var host = worldName == "twin" ? await StartTwin(spec) : null;
        IScenarioWorld world = host is null
            ? new SimulatedWorld()
            : new GrainScenarioWorld(
                host.Services.GetRequiredService<IGrainFactory>(),
                host.Services.GetRequiredService<FactoryTopology>(),
                host.Services.GetRequiredService<FaultPlanner>(),
                host.Services.GetRequiredService<IOptionsMonitor<HealthThresholds>>().CurrentValue);

        ScenarioReport report = null!;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"{spec.Name} ({worldName}, {FormatSpan(spec.Duration)})", maxValue: 1.0);
                var progress = new Progress<ScenarioProgress>(p =>
                {
                    task.Value = p.Fraction;
                    task.Description = $"{spec.Name}: {FormatSpan(p.Elapsed)} of {FormatSpan(p.Duration)}, {p.Interruptions} interruptions, {p.ActiveFaults} active faults";
                });
                report = await new ScenarioRunner(world).RunAsync(spec, new ScenarioRunOptions { Speed = speed, Progress = progress }, cancellationToken);
                task.Value = 1.0;
            });

        if (host is not null)
        {
            // a graceful stop deactivates the grains while the silo still runs; disposing alone tears it down mid-flight
            await host.StopAsync(CancellationToken.None);
        }

        var dir = reportDir?.FullName ?? Path.Combine("out", spec.Name);
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "report.json"), report.ToJson(), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(dir, "report.html"), ScenarioHtmlReport.Render(report), cancellationToken);

        var table = new Table().Border(TableBorder.Rounded).AddColumn("expectation").AddColumn("actual").AddColumn("");
        foreach (var e in report.Expectations)
        {
            table.AddRow(Markup.Escape(e.Name), Markup.Escape(e.ActualText), e.Passed ? "[green]pass[/]" : "[red]FAIL[/]");
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(CultureInfo.InvariantCulture,
            "{0}: {1} virtual in {2:0.0} s wall, {3} interruptions, goodput {4:P2}, {5:N0} events/s → {6}",
            Markup.Escape(spec.Name), FormatSpan(TimeSpan.FromSeconds(report.VirtualSeconds)), report.WallSeconds, report.Interruptions,
            report.Goodput, report.EventsPerSecond, Markup.Escape(dir));
        AnsiConsole.MarkupLine(report.Passed ? "[green]passed[/]" : "[red]failed[/]");
        return report.Passed ? 0 : 1;
    }

    // A fresh embedded twin of the scenario's topology: its own ports, no synthetic telemetry, quiet logs.
    private static async Task<WebApplication> StartTwin(ScenarioSpec spec)
    {
        var app = TwinHost.Build(TwinHost.LoopbackArgs(spec.TopologyPath!, "--Twin:Events:Capacity=1000000"));
        await app.StartAsync();
        return app;
    }

    private static string FormatSpan(TimeSpan t) => t.TotalDays >= 1 ? $"{t.TotalDays:0.#}d" : t.TotalHours >= 1 ? $"{t.TotalHours:0.#}h" : $"{t.TotalMinutes:0}m";
}
