using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

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

    public static ProblemDetails Body(ProblemHttpResult result) => result.ProblemDetails;
}
