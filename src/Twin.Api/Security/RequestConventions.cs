using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Options;

namespace Twin.Api.Security;

/// <summary>
/// Per-endpoint limits decided by convention, so endpoints added later get them without saying so:
/// a body limit (<see cref="LimitsOptions.MaxJsonBodyBytes"/>) for any endpoint that takes a body and
/// declares no <see cref="IRequestSizeLimitMetadata"/> of its own, and no request timeout for endpoints
/// that produce <c>text/event-stream</c> (a feed is meant to stay open).
/// </summary>
public sealed class RequestConventions(RequestDelegate next, IOptions<LimitsOptions> options)
{
    private readonly long _maxBody = options.Value.MaxJsonBodyBytes;

    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is not null)
        {
            if (StreamsEvents(endpoint))
            {
                context.Features.Get<IHttpRequestTimeoutFeature>()?.DisableTimeout();
            }
            var limit = endpoint.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize;
            if (limit is null && HasBody(context.Request.Method))
            {
                if (context.Request.ContentLength > _maxBody)
                {
                    // answer before reading: Kestrel's own limit would only surface as an I/O error mid-read
                    return Results.Problem($"The body is {context.Request.ContentLength:N0} bytes; the limit for this endpoint is {_maxBody:N0}.",
                        statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
                        extensions: new Dictionary<string, object?> { ["field"] = "body" }).ExecuteAsync(context);
                }
                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                {
                    feature.MaxRequestBodySize = _maxBody;
                }
            }
        }
        return next(context);
    }

    /// <summary>An endpoint that answers <c>text/event-stream</c>: a feed meant to stay open.</summary>
    public static bool StreamsEvents(Endpoint? endpoint) =>
        endpoint is not null && endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>()
            .Any(m => m.ContentTypes.Contains("text/event-stream", StringComparer.OrdinalIgnoreCase));

    private static bool HasBody(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);
}
