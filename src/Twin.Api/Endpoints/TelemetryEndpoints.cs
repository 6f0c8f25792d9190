using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Twin.Api.Ingestion;
using Twin.Grains.Observability;
using Twin.Telemetry;
using Twin.Telemetry.Json;
using Twin.Telemetry.Otlp;
using Twin.Telemetry.Prometheus;
using Twin.Telemetry.RemoteWrite;

namespace Twin.Api.Endpoints;

/// <summary>
/// Telemetry in: JSON batches, Prometheus text (dcgm-exporter, node_exporter), OTLP/HTTP metrics.
/// The valid part of a batch is applied; the response counts what was accepted, rejected and why.
/// </summary>
public static class TelemetryEndpoints
{
    public static IEndpointRouteBuilder MapTelemetry(this IEndpointRouteBuilder app)
    {
        var limit = app.ServiceProvider.GetRequiredService<IOptions<IngestOptions>>().Value.MaxBodyBytes;
        var api = app.MapGroup("/api/v1/telemetry").WithTags("telemetry");
        api.MapPost("/", (HttpContext c, TelemetryMapper m, TelemetryIngestion i, TimeProvider t) =>
                Ingest(c, i, body => new JsonTelemetryReader(m).Read(body, t.GetUtcNow())))
            .WithMetadata(new RequestSizeLimitAttribute(limit))
            .Accepts<Views.TelemetryJsonBody>("application/json")
            .Produces<IngestResponse>()
            .ProducesProblem(400).ProducesProblem(413).ProducesProblem(429)
            .WithSummary("JSON batch: {samples:[{device, time, metrics:{name: value}}]}.");
        api.MapPost("/prometheus", (HttpContext c, TelemetryMapper m, TelemetryIngestion i, TimeProvider t, string? host = null,
                [FromQuery(Name = "extra_label")] string[]? extraLabel = null) => PushedHost(m, host, extraLabel) is var (pushed, problem) && problem is not null
                ? Task.FromResult<IResult>(problem)
                : Ingest(c, i, body => new PrometheusIngest(m).Ingest(body, t.GetUtcNow(), pushed)))
            .WithMetadata(new RequestSizeLimitAttribute(limit))
            .Produces<IngestResponse>()
            .ProducesProblem(400).ProducesProblem(413).ProducesProblem(429)
            .WithSummary("Prometheus text exposition 0.0.4 / OpenMetrics (dcgm-exporter, node_exporter), plain or gzip; ?host=H (or extra_label=instance=H) names the pushing host for samples without a host label.");
        // Pushgateway's path style: the grouping key's instance is the pushing host
        foreach (var pattern in new[] { "/metrics/job/{job}/instance/{instance}", "/metrics/job/{job}" })
        {
            app.MapMethods(pattern, ["POST", "PUT"], (HttpContext c, TelemetryMapper m, TelemetryIngestion i, TimeProvider t, string job, string? instance = null) =>
                    Ingest(c, i, body => new PrometheusIngest(m).Ingest(body, t.GetUtcNow(), instance)))
                .WithTags("telemetry")
                .WithMetadata(new RequestSizeLimitAttribute(limit))
                .Produces<IngestResponse>()
                .ProducesProblem(400).ProducesProblem(413).ProducesProblem(429)
                .WithSummary("Prometheus Pushgateway-style push: the body is Prometheus text; the instance path segment names the host.");
        }

        api.MapGet("/scrape-targets", (PrometheusScraper scraper) => TypedResults.Ok(new Views.ItemsView<ScrapeTargetStatus>(scraper.Targets)))
            .WithSummary("Configured Prometheus scrape targets with their health and last error.");

        app.MapPost("/v1/metrics", Otlp)
            .WithTags("telemetry")
            .WithMetadata(new RequestSizeLimitAttribute(limit))
            .ProducesProblem(400).ProducesProblem(413).ProducesProblem(415).ProducesProblem(429)
            .WithSummary("OTLP/HTTP metrics export (protobuf or JSON); answers ExportMetricsServiceResponse with partial_success.");

        app.MapPost("/api/v1/write", RemoteWrite)
            .WithTags("telemetry")
            .WithMetadata(new RequestSizeLimitAttribute(limit))
            .Produces(204)
            .ProducesProblem(400).ProducesProblem(413).ProducesProblem(415).ProducesProblem(429)
            .WithSummary("Prometheus remote write 1.0 (snappy-compressed protobuf WriteRequest), mapped like the text endpoint; 204 when applied.");
        return app;
    }

    private static async Task<IResult> Ingest(HttpContext context, TelemetryIngestion ingestion, Func<ReadOnlyMemory<byte>, TelemetryBatch> parse)
    {
        if (TooLarge(context, ingestion) is { } tooLarge)
        {
            return tooLarge;
        }
        using var slot = ingestion.TryEnter();
        if (slot is null)
        {
            return Busy(context);
        }
        TelemetryBatch batch;
        using (var body = await RequestBody.ReadAll(context.Request, context.RequestAborted))
        {
            try
            {
                batch = parse(body.Memory);
            }
            catch (TelemetryFormatException e)
            {
                return Unparseable(e);
            }
        }
        await ingestion.Apply(batch);
        context.RequestServices.GetRequiredService<TwinMetrics>().Ingested(context.Request.Path.Value!.EndsWith("prometheus", StringComparison.Ordinal) ? "prometheus" : "json", batch.Report.Accepted, batch.Report.Rejected);
        var response = IngestResponse.From(batch.Report, batch.Devices.Length, batch.DiscoveredHosts);
        if (response.Accepted == 0 && response.Rejected > 0)
        {
            return Rejected(response);
        }
        return TypedResults.Ok(response);
    }

    // nothing usable: say why, with the same counts a partial success carries
    private static IResult Rejected(IngestResponse response) =>
        TypedResults.Problem("No sample in the batch could be applied; see errors.", statusCode: 400, title: "Telemetry rejected",
            extensions: new Dictionary<string, object?>
            {
                ["accepted"] = 0, ["rejected"] = response.Rejected, ["unknownDevices"] = response.UnknownDevices,
                ["errors"] = response.Errors, ["field"] = response.Errors.FirstOrDefault()?.Field,
                ["discoveredHosts"] = response.DiscoveredHosts,
            });

    private static async Task<IResult> Otlp(HttpContext context, TelemetryMapper mapper, TelemetryIngestion ingestion, TimeProvider time)
    {
        var type = context.Request.ContentType ?? "";
        var json = type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);
        if (!json && !type.StartsWith("application/x-protobuf", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem($"Content-Type '{type}' is not supported; send application/x-protobuf or application/json.",
                statusCode: 415, title: "Unsupported media type", extensions: new Dictionary<string, object?> { ["field"] = "Content-Type" });
        }
        if (TooLarge(context, ingestion) is { } tooLarge)
        {
            return tooLarge;
        }
        using var slot = ingestion.TryEnter();
        if (slot is null)
        {
            return Busy(context);
        }
        var reader = new OtlpMetricsReader(mapper);
        TelemetryBatch batch;
        using (var body = await RequestBody.ReadAll(context.Request, context.RequestAborted))
        {
            try
            {
                batch = json ? reader.ReadJson(body.Memory, time.GetUtcNow()) : reader.ReadProtobuf(body.Memory, time.GetUtcNow());
            }
            catch (TelemetryFormatException e)
            {
                return Unparseable(e);
            }
        }
        await ingestion.Apply(batch);
        context.RequestServices.GetRequiredService<TwinMetrics>().Ingested("otlp", batch.Report.Accepted, batch.Report.Rejected);
        var response = OtlpMetricsReader.CreateResponse(batch.Report);
        return json
            ? Results.Content(JsonFormatter.Default.Format(response), "application/json")
            : Results.Bytes(response.ToByteArray(), "application/x-protobuf");
    }

    // Remote write 1.0: 2xx when applied; 4xx for data a retry would not fix (the sender drops it); 429 only when
    // busy, where a retry helps. No 5xx: a bad body is never the server's fault.
    private static async Task<IResult> RemoteWrite(HttpContext context, TelemetryMapper mapper, TelemetryIngestion ingestion, TimeProvider time)
    {
        var encoding = context.Request.Headers.ContentEncoding.ToString();
        if (encoding.Length > 0 && !encoding.Equals("snappy", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem($"Content-Encoding '{encoding}' is not supported; remote write bodies are snappy.",
                statusCode: 415, title: "Unsupported media type", extensions: new Dictionary<string, object?> { ["field"] = "Content-Encoding" });
        }
        if (TooLarge(context, ingestion) is { } tooLarge)
        {
            return tooLarge;
        }
        using var slot = await ingestion.Enter(RemoteWriteSlotWait, context.RequestAborted);
        if (slot is null)
        {
            return Busy(context);
        }
        TelemetryBatch batch;
        using (var body = await RequestBody.ReadAll(context.Request, context.RequestAborted))
        {
            try
            {
                batch = new RemoteWriteIngest(mapper).Ingest(body.Memory.Span, time.GetUtcNow());
            }
            catch (TelemetryFormatException e) when (e.TooLarge)
            {
                return TypedResults.Problem(e.Message, statusCode: 413, title: "Request body too large",
                    extensions: new Dictionary<string, object?> { ["field"] = "body" });
            }
            catch (TelemetryFormatException e)
            {
                return Unparseable(e);
            }
        }
        await ingestion.Apply(batch);
        context.RequestServices.GetRequiredService<TwinMetrics>().Ingested("remote_write", batch.Report.Accepted, batch.Report.Rejected);
        if (batch.Report.Accepted == 0 && batch.Report.Rejected > 0)
        {
            return Rejected(IngestResponse.From(batch.Report, batch.Devices.Length, batch.DiscoveredHosts));
        }
        return TypedResults.NoContent();
    }

    private static readonly TimeSpan RemoteWriteSlotWait = TimeSpan.FromSeconds(5);


    // VictoriaMetrics' extra_label=instance=H adds a label to every sample; for the twin a host label names the device's host.
    private static (string? Host, IResult? Problem) PushedHost(TelemetryMapper mapper, string? host, string[]? extraLabels)
    {
        foreach (var extra in extraLabels ?? [])
        {
            var eq = extra.IndexOf('=');
            if (eq <= 0)
            {
                return (null, Problems.Problems.BadRequest("extra_label", $"extra_label '{extra}' is not name=value"));
            }
            if (mapper.Options.HostLabels.Contains(extra[..eq], StringComparer.Ordinal))
            {
                host ??= extra[(eq + 1)..];
            }
        }
        return (host, null);
    }

    // Answer before reading: a client that sent Expect: 100-continue never has to send the body.
    // Chunked bodies without a length are cut off by the endpoint's size limit instead.
    private static IResult? TooLarge(HttpContext context, TelemetryIngestion ingestion) =>
        context.Request.ContentLength > ingestion.MaxBodyBytes
            ? TypedResults.Problem($"The body is {context.Request.ContentLength:N0} bytes; the limit is {ingestion.MaxBodyBytes:N0}.",
                statusCode: 413, title: "Request body too large", extensions: new Dictionary<string, object?> { ["field"] = "body" })
            : null;

    private static IResult Busy(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "1";
        return TypedResults.Problem("Too many telemetry batches in flight; retry after the interval in Retry-After.",
            statusCode: 429, title: "Ingestion busy");
    }

    private static IResult Unparseable(TelemetryFormatException e) =>
        TypedResults.Problem(e.Message, statusCode: 400, title: "Unparseable telemetry body",
            extensions: new Dictionary<string, object?> { ["line"] = e.Line, ["position"] = e.Position });
}
