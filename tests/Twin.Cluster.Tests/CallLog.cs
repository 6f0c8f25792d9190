using System.Net;

namespace Twin.Cluster.Tests;

/// <summary>
/// Every answer a load generator got, by status: what a client of the cluster saw. Calls that could not connect
/// (the silo was down) are counted apart, since availability is measured over calls that reached a live silo.
/// </summary>
public sealed class CallLog
{
    private readonly Dictionary<int, int> _statuses = [];
    private readonly List<string> _serverErrors = [];
    private int _unreachable;

    public void Add(HttpStatusCode status, string what)
    {
        lock (_statuses)
        {
            _statuses[(int)status] = _statuses.GetValueOrDefault((int)status) + 1;
            if ((int)status >= 500 && status != HttpStatusCode.ServiceUnavailable)
            {
                _serverErrors.Add($"{(int)status} {what}");
            }
        }
    }

    public void Unreachable() => Interlocked.Increment(ref _unreachable);

    /// <summary>One call: its status, or unreachable when it could not connect or the connection broke.</summary>
    public async Task<HttpResponseMessage?> Call(Func<Task<HttpResponseMessage>> call, string what)
    {
        try
        {
            var response = await call();
            Add(response.StatusCode, what);
            return response;
        }
        catch (HttpRequestException)
        {
            Unreachable();
            return null;
        }
        catch (TaskCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Unreachable();
            return null;
        }
    }

    public int Count(int status)
    {
        lock (_statuses)
        {
            return _statuses.GetValueOrDefault(status);
        }
    }

    public int Answered
    {
        get
        {
            lock (_statuses)
            {
                return _statuses.Values.Sum();
            }
        }
    }

    public int Succeeded
    {
        get
        {
            lock (_statuses)
            {
                return _statuses.Where(s => s.Key is >= 200 and < 300).Sum(s => s.Value);
            }
        }
    }

    public int UnreachableCount => Volatile.Read(ref _unreachable);

    /// <summary>5xx other than 503: defects, what the issue counted as 500s.</summary>
    public IReadOnlyList<string> ServerErrors
    {
        get
        {
            lock (_statuses)
            {
                return [.. _serverErrors];
            }
        }
    }

    public override string ToString()
    {
        lock (_statuses)
        {
            return string.Join(", ", _statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")) + $", unreachable: {_unreachable}";
        }
    }
}
