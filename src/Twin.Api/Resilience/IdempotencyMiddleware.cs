using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twin.Api.Security;
using Twin.Grains.Persistence;

namespace Twin.Api.Resilience;

/// <summary>
/// <c>Idempotency-Key</c> on creates, by convention: every POST endpoint that declares a 201 or 202 answer (faults,
/// jobs, inference services, forecasts, scenario runs, and any added later). The first request with a key runs and
/// its answer (status, <c>Location</c>, body, so the same id) is kept for <see cref="ResilienceOptions.IdempotencyKeyLifetime"/>;
/// a repeat with the same body gets that answer again (<c>Idempotent-Replayed: true</c>) without running, on any silo;
/// a repeat with another body is a 422; a repeat while the first still runs is a 409 with <c>Retry-After</c>.
/// Keys belong to the API key that sent them. 5xx answers and failures are not kept, so a retry runs again; the key
/// travels with the grain calls (<see cref="RequestKey"/>), so a registry that did create something before the
/// answer was lost (the fault registry) answers the rerun with the first result.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IIdempotencyStore store, IOptions<ResilienceOptions> resilience,
    IOptions<LimitsOptions> limits, ILogger<IdempotencyMiddleware> log)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    private const int MaxKeyLength = 255;
    private static readonly TimeSpan InProgressWait = TimeSpan.FromSeconds(10);

    private readonly TimeSpan _lifetime = resilience.Value.IdempotencyKeyLifetime;

    // a request runs at most this long (the request timeout), so an unanswered claim older than that was abandoned
    private readonly TimeSpan _abandonedAfter = limits.Value.RequestTimeout + TimeSpan.FromSeconds(5);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !Creates(context.GetEndpoint())
            || !context.Request.Headers.TryGetValue(Header, out var values))
        {
            await next(context);
            return;
        }
        var key = values.ToString();
        if (key.Length is 0 or > MaxKeyLength || values.Count > 1 || key.Any(c => c is < ' ' or > '~'))
        {
            await Results.Problem($"{Header} must be one value of 1 to {MaxKeyLength} printable ASCII characters (a UUID is typical).",
                statusCode: StatusCodes.Status400BadRequest, title: $"Invalid {Header}",
                extensions: new Dictionary<string, object?> { ["field"] = Header }).ExecuteAsync(context);
            return;
        }
        var scoped = (context.User.KeyIdOf() ?? "-") + ":" + key;
        var fingerprint = await Fingerprint(context.Request);
        var held = await store.Claim(scoped, fingerprint, _lifetime, _abandonedAfter, context.RequestAborted);
        if (held is not null)
        {
            await Answer(context, key, fingerprint, held);
            return;
        }
        await Run(context, scoped);
    }

    private static bool Creates(Endpoint? endpoint) =>
        endpoint is not null && endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>()
            .Any(m => m.StatusCode is StatusCodes.Status201Created or StatusCodes.Status202Accepted);

    // method, path and body: the same key with any of them changed is a different request
    private static async Task<string> Fingerprint(HttpRequest request)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }
        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private async Task Answer(HttpContext context, string key, string fingerprint, IdempotencyRecord held)
    {
        if (held.Fingerprint != fingerprint)
        {
            await Results.Problem($"{Header} '{key}' was used for a different request (another path or body); use a new key for a new request.",
                statusCode: StatusCodes.Status422UnprocessableEntity, title: $"{Header} reused",
                extensions: new Dictionary<string, object?> { ["field"] = Header }).ExecuteAsync(context);
            return;
        }
        if (held.Answer is not { } answer)
        {
            // soon if it is merely running; if its silo died, when the claim may be taken over (at most InProgressWait)
            var untilAbandoned = _abandonedAfter - (TimeProvider.System.GetUtcNow() - held.ClaimedAt);
            var seconds = (int)Math.Clamp(Math.Ceiling(untilAbandoned.TotalSeconds), 1, InProgressWait.TotalSeconds);
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Results.Problem($"A request with {Header} '{key}' is still being processed; ask again for its answer.",
                statusCode: StatusCodes.Status409Conflict, title: "Request in progress",
                extensions: new Dictionary<string, object?> { ["field"] = Header, ["retryAfterSeconds"] = seconds }).ExecuteAsync(context);
            return;
        }
        var response = context.Response;
        response.StatusCode = answer.Status;
        response.ContentType = answer.ContentType;
        if (answer.Location is not null)
        {
            response.Headers.Location = answer.Location;
        }
        response.Headers[ReplayedHeader] = "true";
        response.ContentLength = answer.Body.Length;
        await response.Body.WriteAsync(answer.Body, context.RequestAborted);
    }

    private async Task Run(HttpContext context, string key)
    {
        var response = context.Response;
        var original = context.Features.Get<IHttpResponseBodyFeature>()!;
        using var captured = new MemoryStream();
        var capture = new StreamResponseBodyFeature(captured, original);
        context.Features.Set<IHttpResponseBodyFeature>(capture);
        // grains that create keep the key with what they created: a rerun after a lost answer finds it
        RequestKey.Set(key);
        try
        {
            await next(context);
            // what the endpoint left in the pipe goes into the capture too, even when its caller has gone
            // (a flush with the aborted request's token writes nothing, and a retry would replay an empty body)
            await capture.CompleteAsync();
        }
        catch
        {
            context.Features.Set(original);
            await ReleaseQuietly(key);
            throw;
        }
        finally
        {
            RequestKey.Set(null);
        }
        context.Features.Set(original);
        var body = captured.ToArray();
        if (response.StatusCode < 500)
        {
            try
            {
                await store.Complete(key, new StoredAnswer(response.StatusCode, response.ContentType, response.Headers.Location.ToString() is { Length: > 0 } l ? l : null, body),
                    CancellationToken.None);
            }
            catch (Exception e) when (TransientFailure.Of(e) is not null)
            {
                // the request took effect: its answer is the truth even if a retry cannot find it
                ResilienceLog.AnswerNotStored(log, key, e.Message);
            }
        }
        else
        {
            await ReleaseQuietly(key);
        }
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    private async Task ReleaseQuietly(string key)
    {
        try
        {
            await store.Release(key, CancellationToken.None);
        }
        catch (Exception e) when (TransientFailure.Of(e) is not null)
        {
            // storage is away: the claim lapses after the request timeout instead
            ResilienceLog.AnswerNotStored(log, key, e.Message);
        }
    }
}
