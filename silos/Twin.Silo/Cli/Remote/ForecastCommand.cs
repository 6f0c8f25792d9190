using System.CommandLine;
using System.Globalization;
using Twin.Client;
using Twin.Client.Views;
using Twin.Model.Time;

namespace Twin.Silo.Cli.Remote;

/// <summary>
/// <c>twin forecast --fault switch-down:east/switch/spine-03@10m --horizon 6h</c>: a what-if from the running twin's
/// state now; prints the difference per job and site and writes the full report.
/// </summary>
public static class ForecastCommand
{
    public static Command Create()
    {
        var remote = new RemoteOptions();
        var faults = new Option<string[]>("--fault")
        {
            Description = "a fault to suppose, kind:target[@offset][,key=value...] (for=duration lasts that long), e.g. switch-down:east/switch/spine-03@10m,for=2h or gpu-xid:east/gpu/h0001-2@45m,xid=79; repeatable",
            AllowMultipleArgumentsPerToken = false,
        };
        var horizon = new Option<string>("--horizon") { Description = "how far ahead: 90m, 6h, 2d", DefaultValueFactory = _ => "6h" };
        var seed = new Option<int>("--seed") { Description = "seed of the random failures (both runs share it)", DefaultValueFactory = _ => 1 };
        var noFailures = new Option<bool>("--no-failures") { Description = "leave random failures out (only the supposed faults happen)" };
        var report = new Option<FileInfo?>("--report") { Description = "where to write the full report (JSON)", DefaultValueFactory = _ => new FileInfo("forecast.json") };
        var command = new Command("forecast", "Fork the running twin into a what-if: its jobs and faults now, run ahead with and without the supposed faults.")
        {
            faults, horizon, seed, noFailures, report,
        }.WithExamples(
            "twin forecast --fault switch-down:east/switch/spine-03 --horizon 6h",
            "twin forecast --fault gpu-xid:east/gpu/h0001-2@45m,xid=79 --no-failures -o json",
            "twin forecast --fault dci-cut:dci/east-west@1h,for=30m --horizon 1d --report cut.json");
        command.SetAction((r, ct) => RemoteCall.Run(r, remote, ct, async (client, output, token) =>
        {
            var supposed = new List<ForecastFault>();
            foreach (var text in r.GetValue(faults) ?? [])
            {
                if (Parse(text) is not { } fault)
                {
                    return RemoteCall.Usage(output, $"--fault '{text}': expected kind:target[@offset][,key=value...], e.g. switch-down:east/switch/spine-03@10m,for=2h");
                }
                supposed.Add(fault);
            }
            var started = await client.StartForecastAsync(
                new ForecastRequest(r.GetValue(horizon)!, supposed, r.GetValue(seed), !r.GetValue(noFailures)), token);
            var result = await client.WaitForForecastAsync(started.Id, cancellationToken: token);
            if (result.State != "done")
            {
                output.Error.WriteLine($"forecast {result.Id} ended {result.State}{(result.Error is null ? "" : ": " + result.Error)}");
                return ExitCodes.Failure;
            }
            if (r.GetValue(report) is { } file && result.Report is { } json)
            {
                await File.WriteAllTextAsync(file.FullName, json.ToJsonString(TwinJson.Indented), token);
            }
            var diff = result.Diff!;
            if (r.GetValue(remote.Output) == OutputFormat.Json)
            {
                output.Json(diff);
                return ExitCodes.Ok;
            }
            static string P(double v) => v.ToString("P2", CultureInfo.InvariantCulture);
            output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"forecast {result.Id}: {DurationText.Format(TimeSpan.FromSeconds(result.HorizonSeconds))} from {result.SnapshotAt:u}, {result.Jobs} job(s), {result.ActiveFaults} active and {result.SupposedFaults} supposed fault(s), {result.WallSeconds:0.00} s"));
            output.Table(["job", "goodput now→", "with faults", "delta", "interruptions +", "lost work +s", "down +s"],
                diff.Jobs.Select(j => (IReadOnlyList<string?>)[j.Job, P(j.GoodputBaseline), P(j.GoodputWhatIf), P(j.GoodputDelta),
                    j.InterruptionsDelta.ToString(CultureInfo.InvariantCulture), j.LostWorkSecondsDelta.ToString("0", CultureInfo.InvariantCulture),
                    j.DowntimeSecondsDelta.ToString("0", CultureInfo.InvariantCulture)]));
            output.Table(["site", "fewest usable GPUs", "with faults", "delta"],
                diff.Sites.Select(s => (IReadOnlyList<string?>)[s.Site, s.MinUsableGpusBaseline.ToString(CultureInfo.InvariantCulture),
                    s.MinUsableGpusWhatIf.ToString(CultureInfo.InvariantCulture), s.MinUsableGpusDelta.ToString(CultureInfo.InvariantCulture)]));
            if (r.GetValue(report) is { } written)
            {
                output.Out.WriteLine($"report: {written.FullName}");
            }
            return ExitCodes.Ok;
        }));
        return remote.AddTo(command);
    }

    // kind:target[@offset][,key=value...]; "for" is the duration, other keys the fault's parameters. Targets
    // contain '/', never ':', '@', ',' or '='.
    public static ForecastFault? Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            return null;
        }
        var parts = text[(colon + 1)..].Split(',');
        var (target, at) = parts[0].IndexOf('@', StringComparison.Ordinal) is var a and > 0 ? (parts[0][..a], parts[0][(a + 1)..]) : (parts[0], null);
        string? duration = null;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in parts.Skip(1))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == pair.Length - 1)
            {
                return null;
            }
            if (pair[..eq] == "for")
            {
                duration = pair[(eq + 1)..];
            }
            else
            {
                parameters[pair[..eq]] = pair[(eq + 1)..];
            }
        }
        return target.Length == 0 || at is "" ? null : new ForecastFault(text[..colon], target, at, parameters.Count > 0 ? parameters : null, duration);
    }
}
