using System.Diagnostics;

namespace Twin.Api.Tests.Observability;

/// <summary>
/// The machine's Prometheus binaries (Debian package <c>prometheus</c>, which <c>.ci/run</c> installs when absent):
/// <c>prometheus</c> for end-to-end remote write, <c>promtool</c> to lint exposition and rules.
/// </summary>
public static class PrometheusTools
{
    public static string Find(string name)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Append("/usr/bin").Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
        return path ?? throw new InvalidOperationException(
            $"'{name}' not found on PATH: install the Debian package prometheus (.ci/run does this) to run the Prometheus tests");
    }

    /// <summary>Runs promtool with <paramref name="stdin"/> piped in; returns its exit code and combined output.</summary>
    public static async Task<(int ExitCode, string Output)> Promtool(string[] args, string? stdin, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Find("promtool"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }
        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
