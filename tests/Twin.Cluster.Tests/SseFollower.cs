using System.Globalization;

namespace Twin.Cluster.Tests;

/// <summary>
/// An SSE client of <c>/api/v1/events/stream</c> that, when its silo dies, reconnects to another one with
/// <c>Last-Event-ID</c> — what a dashboard or an ops tool does — and records every sequence it received.
/// </summary>
public sealed class SseFollower(Func<HttpClient> pickSilo)
{
    private readonly List<long> _received = [];

    public int Reconnects { get; private set; }

    public IReadOnlyList<long> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public long Last
    {
        get
        {
            lock (_received)
            {
                return _received.Count == 0 ? 0 : _received[^1];
            }
        }
    }

    public async Task Run(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var http = pickSilo();
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events/stream?since=0");
                if (Last > 0)
                {
                    request.Headers.Add("Last-Event-ID", Last.ToString(CultureInfo.InvariantCulture));
                }
                using var streaming = new HttpClient { BaseAddress = http.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
                using var response = await streaming.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                response.EnsureSuccessStatusCode();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (line.StartsWith("id: ", StringComparison.Ordinal))
                    {
                        lock (_received)
                        {
                            _received.Add(long.Parse(line.AsSpan(4), CultureInfo.InvariantCulture));
                        }
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                // the silo went away mid-stream: resume elsewhere from the last id seen
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            if (!cancellationToken.IsCancellationRequested)
            {
                Reconnects++;
                await Task.Delay(200, CancellationToken.None);
            }
        }
    }
}
