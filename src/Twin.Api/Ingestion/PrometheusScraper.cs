using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twin.Telemetry;
using Twin.Telemetry.Prometheus;

namespace Twin.Api.Ingestion;

/// <summary>
/// Scrapes the configured Prometheus endpoints on their intervals and feeds what they serve through
/// the same parser and ingestion path as pushed text. Each target's health and last error are kept.
/// </summary>
public sealed partial class PrometheusScraper(
    IOptions<ScrapeOptions> options,
    IHttpClientFactory http,
    TelemetryMapper mapper,
    TelemetryIngestion ingestion,
    TimeProvider time,
    ILogger<PrometheusScraper> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, ScrapeTargetStatus> _status = new();

    public IReadOnlyList<ScrapeTargetStatus> Targets =>
        options.Value.Targets.Select(t => _status.GetValueOrDefault(NameOf(t)) ?? Unknown(t)).ToList();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(options.Value.Targets.Select(t => Loop(t, stoppingToken)));

    private async Task Loop(ScrapeTarget target, CancellationToken stoppingToken)
    {
        _status[NameOf(target)] = Unknown(target);
        using var timer = new PeriodicTimer(target.Interval, time);
        do
        {
            await ScrapeOnce(target, stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One scrape of one target; failures are recorded, never thrown.</summary>
    public async Task ScrapeOnce(ScrapeTarget target, CancellationToken cancellationToken)
    {
        var name = NameOf(target);
        var previous = _status.GetValueOrDefault(name) ?? Unknown(target);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(target.Timeout);
            using var client = http.CreateClient(nameof(PrometheusScraper));
            using var request = new HttpRequestMessage(HttpMethod.Get, target.Url);
            request.Headers.Accept.ParseAdd("text/plain;version=0.0.4");
            using var response = await client.SendAsync(request, timeout.Token);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            var batch = new PrometheusIngest(mapper).Ingest(body.AsMemory(), time.GetUtcNow());
            await ingestion.Apply(batch);
            _status[name] = previous with
            {
                Health = "up",
                LastScrape = time.GetUtcNow(),
                LastDurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                LastError = batch.Report.Errors.Count > 0 ? $"{batch.Report.Rejected} sample(s) rejected; first: {batch.Report.Errors[0].Reason}" : null,
                Scrapes = previous.Scrapes + 1,
                LastAccepted = batch.Report.Accepted,
                LastRejected = batch.Report.Rejected,
            };
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or TelemetryFormatException && !cancellationToken.IsCancellationRequested)
        {
            LogScrapeFailed(logger, name, e.Message);
            _status[name] = previous with
            {
                Health = "down",
                LastScrape = time.GetUtcNow(),
                LastDurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                LastError = e is OperationCanceledException ? $"timed out after {target.Timeout.TotalSeconds:0.#} s" : e.Message,
                Scrapes = previous.Scrapes + 1,
                Failures = previous.Failures + 1,
            };
        }
    }

    private static string NameOf(ScrapeTarget t) => t.Name ?? t.Url;

    private static ScrapeTargetStatus Unknown(ScrapeTarget t) =>
        new(NameOf(t), t.Url, t.Interval, "unknown", null, null, null, 0, 0, 0, 0);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scrape of {Target} failed: {Error}")]
    private static partial void LogScrapeFailed(ILogger logger, string target, string error);
}
