using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Twin.Api.Security;

/// <summary>
/// API keys and roles, rate limits, body limits and timeouts for the whole HTTP surface. Everything is
/// decided by convention (<see cref="TwinRoles"/>, <see cref="RequestConventions"/>), so endpoints need
/// no attributes of their own.
/// </summary>
public static class TwinSecurity
{
    public static IServiceCollection AddTwinSecurity(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration("Twin:Auth").ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddOptions<LimitsOptions>().BindConfiguration("Twin:Limits")
            .Validate(o => o.MaxJsonBodyBytes > 0 && o.RequestTimeout > TimeSpan.Zero, "Twin:Limits values must be positive")
            .ValidateOnStart();
        services.AddOptions<RateLimitOptions>().BindConfiguration("Twin:RateLimit")
            .Validate(o => o.TokenLimit > 0 && o.TokensPerPeriod > 0 && o.ReplenishmentPeriod > TimeSpan.Zero, "Twin:RateLimit values must be positive")
            .ValidateOnStart();
        services.AddSingleton<ApiKeyStore>();
        services.AddHostedService<LoopbackGuard>();

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddSingleton<IAuthorizationHandler, RoleConventionHandler>();
        // the fallback policy covers every request with no policy of its own: mapped endpoints, static files, unmatched paths
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().AddRequirements(new RoleConventionRequirement()).Build());

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                return limits.Enabled && context.User.KeyIdOf() is { } keyId
                    ? RateLimitPartition.GetTokenBucketLimiter(keyId, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = limits.TokenLimit,
                        TokensPerPeriod = limits.TokensPerPeriod,
                        ReplenishmentPeriod = limits.ReplenishmentPeriod,
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter("unkeyed");
            });
            o.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                var http = rejected.HttpContext;
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Results.Problem($"This API key's request rate is over its limit; retry after {seconds} s.",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                    extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds }).ExecuteAsync(http);
            };
        });

        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<LimitsOptions>>((o, limits) =>
            o.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = limits.Value.RequestTimeout,
                TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
                WriteTimeoutResponse = context => Results.Problem($"The request took longer than {limits.Value.RequestTimeout.TotalSeconds:0.#} s.",
                    statusCode: StatusCodes.Status504GatewayTimeout, title: "Request timed out").ExecuteAsync(context),
            });
        return services;
    }

    /// <summary>Authentication, the role convention, rate limits, timeouts and body limits, in that order (after routing).</summary>
    public static IApplicationBuilder UseTwinSecurity(this IApplicationBuilder app) => app
        .UseAuthentication()
        .UseAuthorization()
        .UseRateLimiter()
        .UseRequestTimeouts()
        .UseMiddleware<RequestConventions>();

    private sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
    {
        public ValidateOptionsResult Validate(string? name, AuthOptions options)
        {
            var problems = ApiKeyStore.Validate(options).ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
