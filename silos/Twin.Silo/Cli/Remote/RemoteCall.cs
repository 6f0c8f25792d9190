using System.CommandLine;
using System.Net;
using Twin.Client;

namespace Twin.Silo.Cli.Remote;

/// <summary>
/// Runs one remote verb: builds the client, and turns what can go wrong into a message on stderr and an exit code
/// (<see cref="ExitCodes"/>) instead of a stack trace.
/// </summary>
public static class RemoteCall
{
    public const string NoKeyMessage = "401: no or unknown API key; pass --key or set TWIN_API_KEY";

    public static async Task<int> Run(ParseResult result, RemoteOptions remote, CancellationToken cancellationToken,
        Func<TwinClient, CliOutput, CancellationToken, Task<int>> action)
    {
        var output = CliOutput.From(result);
        using var client = remote.Client(result);
        try
        {
            return await action(client, output, cancellationToken);
        }
        catch (TwinApiException e) when (e.Status == HttpStatusCode.Unauthorized)
        {
            output.Error.WriteLine(NoKeyMessage);
            return ExitCodes.Auth;
        }
        catch (TwinApiException e) when (e.Status == HttpStatusCode.Forbidden)
        {
            output.Error.WriteLine($"403: the API key lacks the role for this call; {e.Detail}");
            return ExitCodes.Auth;
        }
        catch (TwinApiException e)
        {
            output.Error.WriteLine($"{(int)e.Status} {e.Title}: {e.Detail}{(e.Field is null ? "" : $" (field: {e.Field})")}");
            return ExitCodes.Failure;
        }
        catch (HttpRequestException e)
        {
            output.Error.WriteLine($"cannot reach the twin at {client.Options.BaseAddress}: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C, or a --watch the caller stopped: not a failure
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException)
        {
            output.Error.WriteLine($"the twin at {client.Options.BaseAddress} did not answer in {client.Options.Timeout.TotalSeconds:0} s");
            return ExitCodes.Failure;
        }
    }

    /// <summary>A usage problem found after parsing (a bad input file or value): message and exit code 2.</summary>
    public static int Usage(CliOutput output, string message)
    {
        output.Error.WriteLine(message);
        return ExitCodes.Usage;
    }
}
