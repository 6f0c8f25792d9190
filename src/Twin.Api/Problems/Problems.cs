using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Twin.Model.Outcomes;

namespace Twin.Api.Problems;

/// <summary>RFC 7807 bodies that name the field or resource at fault.</summary>
public static class Problems
{
    public static ProblemHttpResult BadRequest(string field, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: $"Invalid {field}",
            extensions: new Dictionary<string, object?> { ["field"] = field });

    public static ProblemHttpResult NotFound(string what, string id) =>
        TypedResults.Problem($"No {what} '{id}'.", statusCode: StatusCodes.Status404NotFound, title: $"Unknown {what}",
            extensions: new Dictionary<string, object?> { [what] = id });

    /// <summary>409 when the GPUs a workload needs are not free and usable; the field names what asked for too much.</summary>
    public static ProblemHttpResult NoCapacity(string? field, string? detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Not enough capacity",
            extensions: new Dictionary<string, object?> { ["field"] = field });

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    /// <summary>The one mapping of the factory's refusals to HTTP: invalid 400, unknown 404, no capacity or conflict 409.</summary>
    public static ProblemHttpResult Refused(Refusal refusal, string? field, string? detail, string what) => refusal switch
    {
        Refusal.NotFound => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: $"Unknown {what}",
            extensions: new Dictionary<string, object?> { ["field"] = field }),
        Refusal.NoCapacity => NoCapacity(field, detail),
        Refusal.Conflict => TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict",
            extensions: new Dictionary<string, object?> { ["field"] = field }),
        _ => BadRequest(field ?? "body", detail ?? $"invalid {what}"),
    };

    public static ProblemDetails Body(ProblemHttpResult result) => result.ProblemDetails;
}
