using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Twin.Api.Security;

/// <summary>The fallback authorization policy's only requirement: the role <see cref="TwinRoles.Required"/> names.</summary>
public sealed class RoleConventionRequirement : IAuthorizationRequirement;

/// <summary>
/// Applies <see cref="TwinRoles"/> to every request, mapped endpoint or not. With no keys configured it lets
/// through only connections that arrived on a loopback address, so an open twin fails closed even if the
/// start-up check were bypassed (say, by an address added in code).
/// </summary>
public sealed class RoleConventionHandler(ApiKeyStore keys) : AuthorizationHandler<RoleConventionRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RoleConventionRequirement requirement)
    {
        if (context.Resource is not HttpContext http)
        {
            return Task.CompletedTask;
        }
        var required = TwinRoles.Required(http.Request.Method, http.Request.Path);
        if (required is null
            || (keys.IsOpen && LoopbackGuard.IsLoopback(http.Connection.LocalIpAddress))
            || TwinRoles.Grants(context.User.FindAll(ClaimTypes.Role).Select(c => c.Value), required))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
