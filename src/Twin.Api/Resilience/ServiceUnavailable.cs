using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Twin.Api.Resilience;

/// <summary>The one way the twin says "not now, ask again": 503, <c>Retry-After</c>, and a problem naming the cause.</summary>
public static class ServiceUnavailable
{
    public static Task Write(HttpContext context, TransientCause cause, TimeSpan retryAfter, string? detail = null)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Results.Problem(detail ?? TransientFailure.Describe(cause), statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Temporarily unavailable",
            extensions: new Dictionary<string, object?>
            {
                ["cause"] = System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(cause.ToString()),
                ["retryAfterSeconds"] = seconds,
            }).ExecuteAsync(context);
    }
}
