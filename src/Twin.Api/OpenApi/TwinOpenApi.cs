using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Twin.Api.Security;

namespace Twin.Api.OpenApi;

/// <summary>
/// Completes the generated OpenAPI document by the same conventions the pipeline enforces, so a new
/// endpoint is documented correctly without repeating them: the API-key security schemes, each operation's
/// required role (<see cref="TwinRoles"/>), and the problem responses every endpoint can give
/// (400, 401, 403, 404, 413, 429).
/// </summary>
public static class TwinOpenApi
{
    public const string BearerScheme = "Bearer";
    public const string HeaderScheme = "ApiKey";
    private const string ProblemSchema = "ProblemDetails";

    public static void Configure(OpenApiOptions options)
    {
        options.AddOperationTransformer(DescribeOperation);
        options.AddDocumentTransformer(DescribeDocument);
    }

    private static Task DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var method = context.Description.HttpMethod ?? "GET";
        var path = "/" + (context.Description.RelativePath ?? "").TrimStart('/');
        var role = TwinRoles.Required(method, path);
        operation.Responses ??= [];
        var document = context.Document;
        if (context.Description.ParameterDescriptions.Count > 0)
        {
            AddProblem(operation, document, StatusCodes.Status400BadRequest, "A parameter or the body is invalid; 'field' names it.");
        }
        if (context.Description.ParameterDescriptions.Any(p => p.Source.Id == "Path"))
        {
            AddProblem(operation, document, StatusCodes.Status404NotFound, "No such resource.");
        }
        if (context.Description.ParameterDescriptions.Any(p => p.Source.Id == "Body") || operation.RequestBody is not null)
        {
            AddProblem(operation, document, StatusCodes.Status413PayloadTooLarge, "The body is over this endpoint's size limit.");
        }
        if (role is not null)
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [],
            });
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(HeaderScheme, document)] = [],
            });
            operation.Description = (operation.Description is { Length: > 0 } d ? d + "\n\n" : "") +
                $"Requires an API key with role `{role}` (or `admin`) when keys are configured.";
            AddProblem(operation, document, StatusCodes.Status401Unauthorized, "No API key, or one this twin does not accept.");
            AddProblem(operation, document, StatusCodes.Status403Forbidden, $"The key lacks the '{role}' role.");
            AddProblem(operation, document, StatusCodes.Status429TooManyRequests, "The key's request rate is over its limit; see Retry-After.");
        }
        return Task.CompletedTask;
    }

    private static async Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "AI Factory Twin";
        document.Info.Description =
            "Live digital twin of a multi-site AI factory. Errors are application/problem+json. " +
            "With API keys configured, send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'; roles: reader (GET), " +
            "operator (changes outside telemetry; includes reader), ingest (telemetry in), admin (everything).";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "API key as a bearer token: Authorization: Bearer <key>.",
        };
        document.Components.SecuritySchemes[HeaderScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.HeaderName,
            Description = "API key in the X-Api-Key header.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(ProblemSchema))
        {
            document.Components.Schemas[ProblemSchema] = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken);
        }

        // /metrics is the Prometheus exporter's middleware endpoint, invisible to the API explorer
        var metrics = new OpenApiOperation
        {
            Summary = "Prometheus scrape of the twin's own metrics (Twin, Orleans, ASP.NET Core, runtime).",
            Tags = new HashSet<OpenApiTagReference> { new("observability", document) },
            Responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse
                {
                    Description = "Prometheus text exposition.",
                    Content = new Dictionary<string, OpenApiMediaType> { ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
                },
            },
        };
        document.Paths ??= [];
        document.Paths["/metrics"] = new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Get] = metrics } };
        DescribeOperationByConvention(metrics, document, "GET", "/metrics");
    }

    private static void DescribeOperationByConvention(OpenApiOperation operation, OpenApiDocument document, string method, string path)
    {
        if (TwinRoles.Required(method, path) is { } role)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(HeaderScheme, document)] = [] }];
            operation.Description = $"Requires an API key with role `{role}` (or `admin`) when keys are configured.";
            AddProblem(operation, document, StatusCodes.Status401Unauthorized, "No API key, or one this twin does not accept.");
            AddProblem(operation, document, StatusCodes.Status403Forbidden, $"The key lacks the '{role}' role.");
        }
    }

    private static void AddProblem(OpenApiOperation operation, OpenApiDocument? document, int status, string description)
    {
        operation.Responses ??= [];
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses.ContainsKey(key))
        {
            return;
        }
        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
            },
        };
    }
}
