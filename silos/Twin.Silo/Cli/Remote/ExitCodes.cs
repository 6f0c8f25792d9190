namespace Twin.Silo.Cli.Remote;

/// <summary>Exit codes of the <c>twin</c> verbs, so scripts can tell a refused key from a failed call.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The call failed: an API error (4xx/5xx other than auth), the twin unreachable, a scenario that failed.</summary>
    public const int Failure = 1;

    /// <summary>The command line or an input file is wrong; nothing was sent.</summary>
    public const int Usage = 2;

    /// <summary>401 or 403: no, unknown, or under-privileged API key.</summary>
    public const int Auth = 3;
}
