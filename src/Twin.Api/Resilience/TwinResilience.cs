using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Twin.Api.Resilience;

/// <summary>Failures of the twin itself: graceful drain, transient failures as 503, idempotent creates.</summary>
public static class TwinResilience
{
    public static IServiceCollection AddTwinResilience(this IServiceCollection services)
    {
        services.AddOptions<ResilienceOptions>().BindConfiguration("Twin:Resilience")
            .Validate(o => o.RetryAfter > TimeSpan.Zero && o.ReadRetryDelay >= TimeSpan.Zero && o.IdempotencyKeyLifetime > TimeSpan.Zero
                && o.DrainTimeout >= TimeSpan.Zero, "Twin:Resilience: RetryAfter, IdempotencyKeyLifetime must be positive; ReadRetryDelay, DrainTimeout not negative")
            .ValidateOnStart();
        // the cluster profile registers PostgreSQL's before this
        services.TryAddSingleton<IIdempotencyStore>(sp => new MemoryIdempotencyStore(TimeProvider.System));
        services.AddSingleton<RequestDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<RequestDrain>());
        return services;
    }

    /// <summary>After routing and security: the drain outermost, then 503 mapping, then idempotency (whose storage may fail transiently too).</summary>
    public static IApplicationBuilder UseTwinResilience(this IApplicationBuilder app) => app
        .UseMiddleware<DrainMiddleware>()
        .UseMiddleware<TransientFailureMiddleware>()
        .UseMiddleware<IdempotencyMiddleware>();
}
