using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Twin.Client.Views;
using Twin.Contracts.Devices;
using Twin.Contracts.Events;
using ForecastStatus = Twin.Contracts.Forecasts.ForecastStatus;
using Twin.Contracts.Faults;
using Twin.Contracts.Inference;
using Twin.Contracts.Jobs;
using Twin.Contracts.Rewind;
using Twin.Contracts.Scenarios;
using Twin.Contracts.Sites;
using Twin.Model.Planning;
using Twin.Model.Scenarios;

namespace Twin.Client;

/// <summary>
/// Typed client for the twin's REST API v1 (docs/architecture.md, "REST"). Written by hand over the DTOs of Twin.Contracts,
/// the same records the grains return and the API serialises, so there is one source of truth for every shape
/// and no build-time generator or OpenAPI round trip to keep in step. Lists that page come back as
/// <see cref="IAsyncEnumerable{T}"/>, the live event feed reconnects on its own and resumes with
/// <c>Last-Event-ID</c>, 429/503 answers and failed connections are retried (<see cref="RetryHandler"/>), creates carry an
/// <c>Idempotency-Key</c> so a retry never creates twice, and every other non-success
/// answer is a <see cref="TwinApiException"/> built from the ProblemDetails body.
/// </summary>
public sealed class TwinClient(HttpClient http, TwinClientOptions options) : IDisposable
{
    private const string ProblemJson = "application/problem+json";

    /// <summary>The header that makes a create safe to retry: the twin answers a repeat with the first answer.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>A client with its own HttpClient: retries on 429/503 and no overall timeout, so SSE feeds stay open.</summary>
    public static TwinClient Create(TwinClientOptions options) =>
        new(new HttpClient(new RetryHandler(options) { InnerHandler = new SocketsHttpHandler() })
        {
            BaseAddress = options.BaseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        }, options);

    public TwinClientOptions Options => options;

    // ---- factory and sites

    public Task<HealthStatus> GetHealthAsync(CancellationToken cancellationToken = default) => Get<HealthStatus>("/healthz", cancellationToken);

    public Task<FactorySummary> GetFactoryAsync(CancellationToken cancellationToken = default) => Get<FactorySummary>("/api/v1/factory", cancellationToken);

    public Task<IReadOnlyList<SiteSummary>> GetSitesAsync(CancellationToken cancellationToken = default) =>
        Get<IReadOnlyList<SiteSummary>>("/api/v1/sites", cancellationToken);

    public Task<SiteSummary> GetSiteAsync(string site, CancellationToken cancellationToken = default) =>
        Get<SiteSummary>("/api/v1/sites/" + Uri.EscapeDataString(site), cancellationToken);

    // ---- devices

    /// <summary>One page of devices (at most <paramref name="limit"/>, 1–1000); pass its <c>Next</c> as <paramref name="cursor"/>.</summary>
    public Task<Page<DeviceListItem>> GetDevicePageAsync(string? site = null, string? kind = null, string? health = null,
        int? limit = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        Get<Page<DeviceListItem>>(Query("/api/v1/devices", ("site", site), ("kind", kind), ("health", health),
            ("limit", limit?.ToString(CultureInfo.InvariantCulture)), ("cursor", cursor)), cancellationToken);

    /// <summary>Every device that matches, page after page, following the cursor until the twin gives none.</summary>
    public async IAsyncEnumerable<DeviceListItem> ListDevicesAsync(string? site = null, string? kind = null, string? health = null,
        int pageSize = 1000, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? cursor = null;
        do
        {
            var page = await GetDevicePageAsync(site, kind, health, pageSize, cursor, cancellationToken);
            foreach (var item in page.Items)
            {
                yield return item;
            }
            cursor = page.Next;
        }
        while (cursor is not null);
    }

    public Task<DeviceView> GetDeviceAsync(string id, CancellationToken cancellationToken = default) =>
        Get<DeviceView>("/api/v1/devices/" + Uri.EscapeDataString(id), cancellationToken);

    public Task<DeviceHistory> GetDeviceHistoryAsync(string id, string? metric = null, DateTimeOffset? since = null, DateTimeOffset? until = null,
        CancellationToken cancellationToken = default) =>
        Get<DeviceHistory>(Query($"/api/v1/devices/{Uri.EscapeDataString(id)}/history", ("metric", metric),
            ("since", since?.ToString("O", CultureInfo.InvariantCulture)), ("until", until?.ToString("O", CultureInfo.InvariantCulture))), cancellationToken);

    // ---- faults

    public async Task<IReadOnlyList<FaultView>> ListFaultsAsync(bool? active = null, string? site = null, string? kind = null,
        CancellationToken cancellationToken = default) =>
        (await Get<ItemsView<FaultView>>(Query("/api/v1/faults", ("active", active is { } a ? (a ? "true" : "false") : null), ("site", site), ("kind", kind)),
            cancellationToken)).Items;

    public Task<FaultView> GetFaultAsync(string id, CancellationToken cancellationToken = default) =>
        Get<FaultView>("/api/v1/faults/" + Uri.EscapeDataString(id), cancellationToken);

    /// <summary>Injects a fault; the target and what depends on it change state at once.</summary>
    public Task<FaultView> InjectFaultAsync(FaultRequest fault, CancellationToken cancellationToken = default) =>
        Create<FaultView>("/api/v1/faults", Json(fault), cancellationToken);

    public Task<FaultView> RepairFaultAsync(string id, CancellationToken cancellationToken = default) =>
        Send<FaultView>(HttpMethod.Delete, "/api/v1/faults/" + Uri.EscapeDataString(id), null, cancellationToken);

    // ---- events

    /// <summary>Events after sequence <paramref name="since"/> (exclusive), oldest first.</summary>
    public Task<EventsPage> GetEventPageAsync(long since = 0, string? site = null, string? kind = null, int? limit = null,
        CancellationToken cancellationToken = default) =>
        Get<EventsPage>(Query("/api/v1/events", ("since", since.ToString(CultureInfo.InvariantCulture)), ("site", site), ("kind", kind),
            ("limit", limit?.ToString(CultureInfo.InvariantCulture))), cancellationToken);

    /// <summary>The held history after <paramref name="since"/>, page after page, up to the newest event at the time of the last page.</summary>
    public async IAsyncEnumerable<TwinEvent> ListEventsAsync(long since = 0, string? site = null, string? kind = null, int pageSize = 1000,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var page = await GetEventPageAsync(since, site, kind, pageSize, cancellationToken);
            foreach (var e in page.Items)
            {
                yield return e;
            }
            if (page.Items.Count < pageSize || page.Next <= since)
            {
                yield break;
            }
            since = page.Next;
        }
    }

    /// <summary>
    /// The live feed: events from after <paramref name="since"/> (or from now when null) until cancelled. A dropped
    /// connection reconnects with <c>Last-Event-ID</c> set to the last event received, so nothing still held is missed
    /// or repeated. Auth and other 4xx answers end the feed with a <see cref="TwinApiException"/>.
    /// </summary>
    public async IAsyncEnumerable<TwinEvent> StreamEventsAsync(long? since = null, string? site = null, string? kind = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var lastId = since?.ToString(CultureInfo.InvariantCulture);
        var delay = options.ReconnectDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpResponseMessage response;
            try
            {
                var request = Request(HttpMethod.Get, Query("/api/v1/events/stream", ("site", site), ("kind", kind)), null);
                request.Headers.Accept.ParseAdd("text/event-stream");
                if (lastId is not null)
                {
                    request.Headers.Add("Last-Event-ID", lastId);
                }
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (HttpRequestException) when (!cancellationToken.IsCancellationRequested)
            {
                // the twin is restarting or unreachable: wait and try again, the resume point is kept
                await Task.Delay(delay, options.TimeProvider, cancellationToken);
                delay = Next(delay);
                continue;
            }
            using (response)
            {
                if ((int)response.StatusCode is >= 400 and < 500)
                {
                    throw await Failure(response, cancellationToken);
                }
                if (response.IsSuccessStatusCode)
                {
                    delay = options.ReconnectDelay;
                    var reader = new ServerSentEventReader(await response.Content.ReadAsStreamAsync(cancellationToken));
                    while (true)
                    {
                        ServerSentEvent? message;
                        try
                        {
                            message = await reader.ReadAsync(cancellationToken);
                        }
                        catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                        {
                            message = null;
                        }
                        if (message is not { } m)
                        {
                            break;
                        }
                        if (m.Type == "gap" || m.Data.Length == 0)
                        {
                            continue;
                        }
                        var ev = JsonSerializer.Deserialize<TwinEvent>(m.Data, TwinJson.Options)!;
                        lastId = m.Id ?? ev.Sequence.ToString(CultureInfo.InvariantCulture);
                        yield return ev;
                    }
                }
            }
            await Task.Delay(delay, options.TimeProvider, cancellationToken);
            delay = Next(delay);
        }
    }

    // ---- jobs

    public async Task<IReadOnlyList<JobView>> ListJobsAsync(CancellationToken cancellationToken = default) =>
        (await Get<ItemsView<JobView>>("/api/v1/jobs", cancellationToken)).Items;

    public Task<JobView> GetJobAsync(string id, CancellationToken cancellationToken = default) =>
        Get<JobView>("/api/v1/jobs/" + Uri.EscapeDataString(id), cancellationToken);

    /// <summary>Submits a training job; 409 (as <see cref="TwinApiException"/>) when capacity is missing.</summary>
    public Task<JobView> SubmitJobAsync(JobRequest job, CancellationToken cancellationToken = default) =>
        Create<JobView>("/api/v1/jobs", Json(job), cancellationToken);

    public Task<JobView> CancelJobAsync(string id, CancellationToken cancellationToken = default) =>
        Send<JobView>(HttpMethod.Delete, "/api/v1/jobs/" + Uri.EscapeDataString(id), null, cancellationToken);

    // ---- inference services

    public async Task<IReadOnlyList<InferenceView>> ListInferenceAsync(CancellationToken cancellationToken = default) =>
        (await Get<ItemsView<InferenceView>>("/api/v1/inference", cancellationToken)).Items;

    public Task<InferenceView> GetInferenceAsync(string id, CancellationToken cancellationToken = default) =>
        Get<InferenceView>("/api/v1/inference/" + Uri.EscapeDataString(id), cancellationToken);

    /// <summary>Deploys an inference service; 409 (as <see cref="TwinApiException"/>) when GPUs are missing.</summary>
    public Task<InferenceView> DeployInferenceAsync(InferenceRequest service, CancellationToken cancellationToken = default) =>
        Create<InferenceView>("/api/v1/inference", Json(service), cancellationToken);

    public Task<InferenceView> StopInferenceAsync(string id, CancellationToken cancellationToken = default) =>
        Send<InferenceView>(HttpMethod.Delete, "/api/v1/inference/" + Uri.EscapeDataString(id), null, cancellationToken);

    // ---- forecast and rewind

    /// <summary>Starts a forecast from the live factory now; 429 (retried, then as <see cref="TwinApiException"/>) when four run.</summary>
    public Task<ForecastStatus> StartForecastAsync(ForecastRequest forecast, CancellationToken cancellationToken = default) =>
        Create<ForecastStatus>("/api/v1/forecasts", Json(forecast), cancellationToken);

    public Task<ForecastResult> GetForecastAsync(string id, CancellationToken cancellationToken = default) =>
        Get<ForecastResult>("/api/v1/forecasts/" + Uri.EscapeDataString(id), cancellationToken);

    public async Task<IReadOnlyList<ForecastStatus>> ListForecastsAsync(CancellationToken cancellationToken = default) =>
        (await Get<ItemsView<ForecastStatus>>("/api/v1/forecasts", cancellationToken)).Items;

    public Task<ForecastStatus> CancelForecastAsync(string id, CancellationToken cancellationToken = default) =>
        Send<ForecastStatus>(HttpMethod.Delete, "/api/v1/forecasts/" + Uri.EscapeDataString(id), null, cancellationToken);

    /// <summary>Polls a forecast until it has ended (it runs on a virtual clock: this waits for work, not for time).</summary>
    public async Task<ForecastResult> WaitForForecastAsync(string id, TimeSpan? poll = null, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await GetForecastAsync(id, cancellationToken);
            if (result.State != "running")
            {
                return result;
            }
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(200), options.TimeProvider, cancellationToken);
        }
    }

    /// <summary>The factory as history says it was at <paramref name="at"/> (ISO-8601 or a span back such as <c>-15m</c>).</summary>
    public Task<FactoryAtView> GetFactoryAtAsync(string at, CancellationToken cancellationToken = default) =>
        Get<FactoryAtView>("/api/v1/factory?at=" + Uri.EscapeDataString(at), cancellationToken);

    public Task<SiteAtView> GetSiteAtAsync(string site, string at, CancellationToken cancellationToken = default) =>
        Get<SiteAtView>($"/api/v1/sites/{Uri.EscapeDataString(site)}?at={Uri.EscapeDataString(at)}", cancellationToken);

    public Task<DeviceAtView> GetDeviceAtAsync(string id, string at, CancellationToken cancellationToken = default) =>
        Get<DeviceAtView>($"/api/v1/devices/{Uri.EscapeDataString(id)}?at={Uri.EscapeDataString(at)}", cancellationToken);

    // ---- scenarios

    public async Task<IReadOnlyList<ScenarioInfo>> ListScenariosAsync(CancellationToken cancellationToken = default) =>
        (await Get<ItemsView<ScenarioInfo>>("/api/v1/scenarios", cancellationToken)).Items;

    /// <summary>Starts a run of a scenario the twin ships (by name, without <c>.yaml</c>).</summary>
    public Task<ScenarioRunStatus> StartScenarioRunAsync(string name, ScenarioRunRequest? run = null, CancellationToken cancellationToken = default) =>
        Create<ScenarioRunStatus>($"/api/v1/scenarios/{Uri.EscapeDataString(name)}/runs", Json(run ?? new ScenarioRunRequest()), cancellationToken);

    public Task<ScenarioRunStatus> GetScenarioRunAsync(string id, CancellationToken cancellationToken = default) =>
        Get<ScenarioRunStatus>("/api/v1/scenarios/runs/" + Uri.EscapeDataString(id), cancellationToken);

    /// <summary>The finished run's report; 409 (as <see cref="TwinApiException"/>) while it still runs.</summary>
    public async Task<ScenarioReport> GetScenarioReportAsync(string id, CancellationToken cancellationToken = default) =>
        ScenarioReport.FromJson(await GetText($"/api/v1/scenarios/runs/{Uri.EscapeDataString(id)}/report", cancellationToken));

    /// <summary>The report as the HTML page with charts.</summary>
    public Task<string> GetScenarioReportHtmlAsync(string id, CancellationToken cancellationToken = default) =>
        GetText($"/api/v1/scenarios/runs/{Uri.EscapeDataString(id)}/report?format=html", cancellationToken);

    // ---- plans

    public Task<FabricPlan> PlanFabricAsync(FabricPlanInput plan, CancellationToken cancellationToken = default) =>
        Send<FabricPlan>(HttpMethod.Post, "/api/v1/plans/fabric", Json(plan), cancellationToken);

    /// <summary>The same fabric with DSP, LPO and CPO optics side by side, with savings against DSP.</summary>
    public Task<FabricComparison> CompareFabricAsync(FabricPlanInput plan, CancellationToken cancellationToken = default) =>
        Send<FabricComparison>(HttpMethod.Post, "/api/v1/plans/fabric/compare", Json(plan), cancellationToken);

    /// <summary>A one-site topology YAML for the plan, loadable by a twin.</summary>
    public async Task<string> PlanTopologyAsync(FabricPlanInput plan, CancellationToken cancellationToken = default)
    {
        using var response = await http.SendAsync(Request(HttpMethod.Post, "/api/v1/plans/topology", Json(plan)), cancellationToken);
        await EnsureSuccess(response, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    // ---- telemetry

    public Task<IngestResult> PostTelemetryAsync(TelemetryBatch batch, CancellationToken cancellationToken = default) =>
        Send<IngestResult>(HttpMethod.Post, "/api/v1/telemetry", Json(batch), cancellationToken);

    /// <summary>Prometheus text exposition (dcgm-exporter, node_exporter).</summary>
    public Task<IngestResult> PostPrometheusAsync(string exposition, CancellationToken cancellationToken = default) =>
        Send<IngestResult>(HttpMethod.Post, "/api/v1/telemetry/prometheus", new StringContent(exposition, Encoding.UTF8, "text/plain"), cancellationToken);

    public void Dispose() => http.Dispose();

    // ---- inventory

    /// <summary>
    /// <c>POST /api/v1/inventory/import</c>: imports files of <paramref name="format"/> (twin, ibnetdiscover, dot, netbox,
    /// slurm, lldp) into <paramref name="site"/>, all in one request so NetBox devices and cables travel together.
    /// </summary>
    public Task<Twin.Model.Inventory.ImportReport> ImportInventoryAsync(string format, string? site, IReadOnlyList<(string Name, byte[] Content)> files,
        CancellationToken cancellationToken = default)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, content) in files)
        {
            form.Add(new ByteArrayContent(content), "file", name);
        }
        var query = $"/api/v1/inventory/import?format={Uri.EscapeDataString(format)}" + (site is null ? "" : $"&site={Uri.EscapeDataString(site)}");
        return Send<Twin.Model.Inventory.ImportReport>(HttpMethod.Post, query, form, cancellationToken);
    }

    /// <summary><c>GET /api/v1/inventory?format=yaml</c>: the inventory the twin serves, as YAML.</summary>
    public Task<string> GetInventoryYamlAsync(CancellationToken cancellationToken = default) => GetText("/api/v1/inventory?format=yaml", cancellationToken);

    // ---- plumbing

    private Task<T> Get<T>(string path, CancellationToken cancellationToken) => Send<T>(HttpMethod.Get, path, null, cancellationToken);

    // a POST that creates something: with a key of its own, which every retry of it repeats
    private Task<T> Create<T>(string path, HttpContent content, CancellationToken cancellationToken) =>
        Send<T>(HttpMethod.Post, path, content, cancellationToken, idempotencyKey: options.SendIdempotencyKeys ? Guid.NewGuid().ToString() : null);

    private async Task<T> Send<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken, string? idempotencyKey = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        var request = Request(method, path, content);
        if (idempotencyKey is not null)
        {
            request.Headers.Add(IdempotencyKeyHeader, idempotencyKey);
        }
        using var response = await http.SendAsync(request, timeout.Token);
        await EnsureSuccess(response, timeout.Token);
        return (await response.Content.ReadFromJsonAsync<T>(TwinJson.Options, timeout.Token))!;
    }

    private async Task<string> GetText(string path, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        using var response = await http.SendAsync(Request(HttpMethod.Get, path, null), timeout.Token);
        await EnsureSuccess(response, timeout.Token);
        return await response.Content.ReadAsStringAsync(timeout.Token);
    }

    private HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        if (http.BaseAddress is null)
        {
            request.RequestUri = new Uri(options.BaseAddress, path);
        }
        if (options.ApiKey is { Length: > 0 } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(ProblemJson));
        return request;
    }

    private static JsonContent Json<T>(T body) => JsonContent.Create(body, options: TwinJson.Options);

    private static async Task EnsureSuccess(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await Failure(response, cancellationToken);
        }
    }

    /// <summary>The answer as an exception: the ProblemDetails members when the body is one, the status line otherwise.</summary>
    public static async Task<TwinApiException> Failure(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        string? title = null, detail = null, field = null;
        if (body.Length > 0 && body.TrimStart().StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                title = Text(doc.RootElement, "title");
                detail = Text(doc.RootElement, "detail");
                field = Text(doc.RootElement, "field");
            }
            catch (JsonException)
            {
                // not ProblemDetails after all: the status line and raw body still say what happened
            }
        }
        return new TwinApiException(response.StatusCode, title ?? response.ReasonPhrase ?? response.StatusCode.ToString(), detail, field, body);
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Query(string path, params (string Name, string? Value)[] parameters)
    {
        var text = new StringBuilder(path);
        var first = true;
        foreach (var (name, value) in parameters)
        {
            if (value is null)
            {
                continue;
            }
            text.Append(first ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            first = false;
        }
        return text.ToString();
    }

    private TimeSpan Next(TimeSpan delay) => delay * 2 < options.MaxBackoff ? delay * 2 : options.MaxBackoff;
}
