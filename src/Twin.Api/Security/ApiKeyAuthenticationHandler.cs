using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Twin.Api.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c> against the
/// <see cref="ApiKeyStore"/>, and answers 401/403 as ProblemDetails. The key never appears in a log or a response.
/// </summary>
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyStore keys, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (keys.IsOpen || !TryGetPresentedKey(Request, out var presented))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        if (!keys.TryFind(presented, out var key))
        {
            LogUnknownKey(Logger, Request.Method, Request.Path, Context.Connection.RemoteIpAddress?.ToString());
            return Task.FromResult(AuthenticateResult.Fail("unknown API key"));
        }
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, key!.Name),
            new(TwinClaims.KeyId, key.Id),
        };
        claims.AddRange(key.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        if (key.Tenant is { } tenant)
        {
            claims.Add(new Claim(TwinClaims.Tenant, tenant));
        }
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var unknown = result.Failure is not null;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = unknown
            ? $"Bearer realm=\"twin\", error=\"invalid_token\", error_description=\"unknown API key\""
            : "Bearer realm=\"twin\"";
        if (Request.Path.StartsWithSegments("/orleans", StringComparison.OrdinalIgnoreCase))
        {
            // lets a browser prompt for the key (as the password) on the Orleans Dashboard
            Response.Headers.Append("WWW-Authenticate", "Basic realm=\"twin\", charset=\"UTF-8\"");
        }
        var detail = keys.IsOpen
            ? "This twin serves open requests on loopback only."
            : unknown
                ? "The API key is not one this twin accepts."
                : $"Send an API key as 'Authorization: Bearer <key>' or '{HeaderName}: <key>'.";
        await Write(StatusCodes.Status401Unauthorized, unknown ? "Unknown API key" : "API key required", detail);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var required = TwinRoles.Required(Request.Method, Request.Path) ?? TwinRoles.Admin;
        var held = Context.User.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();
        LogForbidden(Logger, Context.User.Identity?.Name, Request.Method, Request.Path, required);
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Write(StatusCodes.Status403Forbidden, "Role required",
            $"{Request.Method} {Request.Path} needs the '{required}' role (or admin); this key has {(held.Count == 0 ? "none" : string.Join(", ", held))}.",
            required);
    }

    internal static bool TryGetPresentedKey(HttpRequest request, out string key)
    {
        key = request.Headers[HeaderName].ToString();
        if (key.Length > 0)
        {
            return true;
        }
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            key = authorization["Bearer ".Length..].Trim();
        }
        else if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            // browsers cannot add headers to page loads: for the UIs (/orleans) the key is the Basic password, any user name
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
                key = decoded[(decoded.IndexOf(':') + 1)..];
            }
            catch (FormatException)
            {
                key = "";
            }
        }
        return key.Length > 0;
    }

    private async Task Write(int status, string title, string detail, string? requiredRole = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (requiredRole is not null)
        {
            problem.Extensions["requiredRole"] = requiredRole;
        }
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = Context, ProblemDetails = problem }))
        {
            await Response.WriteAsJsonAsync(problem, Context.RequestAborted);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Unknown API key on {Method} {Path} from {Remote}")]
    private static partial void LogUnknownKey(ILogger logger, string method, string path, string? remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "Key '{Key}' lacks role {Role} for {Method} {Path}")]
    private static partial void LogForbidden(ILogger logger, string? key, string method, string path, string role);
}
