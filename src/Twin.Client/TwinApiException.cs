using System.Net;

namespace Twin.Client;

/// <summary>
/// A non-success answer of the twin, from its <c>application/problem+json</c> body: status, title, detail and the
/// <c>field</c> the twin names as wrong (a query parameter, a body member, or the resource kind for a 404).
/// </summary>
public sealed class TwinApiException(HttpStatusCode status, string title, string? detail, string? field, string? body)
    : Exception(detail is null ? $"{(int)status} {title}" : $"{(int)status} {title}: {detail}")
{
    public HttpStatusCode Status { get; } = status;

    public string Title { get; } = title;

    public string? Detail { get; } = detail;

    /// <summary>The field or parameter at fault, when the twin named one.</summary>
    public string? Field { get; } = field;

    /// <summary>The raw response body, for diagnostics.</summary>
    public string? Body { get; } = body;

    /// <summary>401 (no or unknown key) or 403 (the key lacks the role).</summary>
    public bool IsAuthFailure => Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
}
