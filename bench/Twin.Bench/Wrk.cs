using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Twin.Bench;

/// <summary>
/// wrk (Debian's package), a load generator in C in a process of its own: the server gets the cores an in-process
/// HttpClient loop would spend on itself. One wrk thread; the paths are taken in turn by a Lua script.
/// </summary>
public static partial class Wrk
{
    /// <summary>The wrk binary on PATH, or null (the suites then fall back to an in-process client).</summary>
    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "wrk"))
            .FirstOrDefault(File.Exists);

    public static async Task<LoadResult> Run(string wrk, Uri server, IReadOnlyList<string> paths, int connections, TimeSpan duration)
    {
        var script = Path.Combine(Path.GetTempPath(), $"twin-bench-{Environment.ProcessId}-{Guid.NewGuid():N}.lua");
        var lua = new StringBuilder("local paths = {\n");
        foreach (var p in paths)
        {
            lua.Append("  \"").Append(p.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\",\n");
        }
        lua.Append("}\nlocal i = 0\nrequest = function()\n  i = i + 1\n  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n");
        await File.WriteAllTextAsync(script, lua.ToString());
        try
        {
            var start = new ProcessStartInfo(wrk)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                ArgumentList =
                {
                    "-t1", $"-c{connections}", $"-d{Math.Max(1, (int)duration.TotalSeconds)}s", "--latency", "-s", script,
                    server.GetLeftPart(UriPartial.Authority),
                },
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start");
            var output = await process.StandardOutput.ReadToEndAsync();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"wrk exited {process.ExitCode}: {errors}{output}");
            }
            return Parse(output);
        }
        finally
        {
            File.Delete(script);
        }
    }

    internal static LoadResult Parse(string output)
    {
        if (NonSuccess().Match(output) is { Success: true } bad)
        {
            throw new InvalidOperationException($"wrk saw {bad.Groups[1].Value} responses that were not 2xx/3xx:\n{output}");
        }
        var rate = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        return new LoadResult(rate, Percentile(output, "99%"));
    }

    // "     99%    4.21ms" in the --latency distribution; wrk picks us, ms or s per line
    private static double Percentile(string output, string label)
    {
        var m = Regex.Match(output, $@"^\s*{Regex.Escape(label)}\s+([0-9.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!m.Success)
        {
            throw new InvalidOperationException($"no {label} latency in wrk's output:\n{output}");
        }
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+([0-9]+)")]
    private static partial Regex NonSuccess();
}
