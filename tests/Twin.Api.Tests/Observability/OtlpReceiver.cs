using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using Twin.Telemetry.Otlp.Wire;

namespace Twin.Api.Tests.Observability;

/// <summary>
/// A real OTLP/HTTP receiver on loopback: records every export the twin posts, and decodes metric exports
/// with the repository's own OTLP protobuf types.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _received = new();
    private Task? _loop;

    public Uri Endpoint { get; private set; } = null!;

    public void Start()
    {
        var port = TwinAppFixture.FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(Loop);
    }

    public IReadOnlyList<(string Path, byte[] Body)> Received => [.. _received];

    public IEnumerable<ExportMetricsServiceRequest> MetricExports =>
        Received.Where(r => r.Path == "/v1/metrics").Select(r => ExportMetricsServiceRequest.Parser.ParseFrom(r.Body));

    /// <summary>Waits until an export satisfies <paramref name="condition"/>, or fails after <paramref name="timeout"/>.</summary>
    public async Task<T> WaitFor<T>(Func<OtlpReceiver, T?> condition, TimeSpan timeout) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (condition(this) is { } found)
            {
                return found;
            }
            Assert.True(DateTime.UtcNow < deadline, $"no matching OTLP export within {timeout}; received {string.Join(", ", Received.Select(r => r.Path))}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    private async Task Loop()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var body = new MemoryStream();
            var input = context.Request.Headers["Content-Encoding"] == "gzip"
                ? new GZipStream(context.Request.InputStream, CompressionMode.Decompress)
                : context.Request.InputStream;
            await input.CopyToAsync(body);
            _received.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
            // an empty protobuf message is a full success for every OTLP signal
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener.IsListening)
        {
            _listener.Stop();
        }
        _listener.Close();
        if (_loop is not null)
        {
            await _loop;
        }
    }
}
