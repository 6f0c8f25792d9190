using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Twin.Grains.Devices;
using Twin.Grains.Events;
using Twin.Grains.Synthetic;
using Twin.Model.Faults;
using Twin.Model.Health;
using Twin.Model.Topology;

namespace Twin.Grains.Hosting;

/// <summary>Registers what the grains need from the host: the topology, thresholds and options.</summary>
public static class TwinGrainsServiceCollectionExtensions
{
    public static IServiceCollection AddTwinGrains(this IServiceCollection services, FactoryTopology topology, IConfiguration twinSection)
    {
        services.AddSingleton(topology);
        services.AddSingleton(new FaultPlanner(topology));
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<HealthThresholds>().Bind(twinSection.GetSection("Health"));
        services.AddOptions<HistoryOptions>().Bind(twinSection.GetSection("History"))
            .Validate(o => o.Capacity is >= 2 and <= 100_000 && o.Resolution >= TimeSpan.Zero, "Twin:History needs 2 ≤ Capacity ≤ 100000")
            .ValidateOnStart();
        services.AddOptions<Jobs.JobOptions>().Bind(twinSection.GetSection("Jobs"))
            .Validate(o => o.ComputeEfficiency is null or (> 0 and <= 1) && o.DetectionTime >= TimeSpan.Zero && o.RestartTime >= TimeSpan.Zero,
                "Twin:Jobs needs 0 < ComputeEfficiency ≤ 1 and non-negative times")
            .ValidateOnStart();
        services.AddOptions<EventHistoryOptions>().Bind(twinSection.GetSection("Events"))
            .Validate(o => o.Capacity >= 16, "Twin:Events:Capacity must be at least 16").ValidateOnStart();
        services.AddOptions<SyntheticTelemetryOptions>().Bind(twinSection.GetSection("Synthetic"))
            .Validate(o => o.Interval > TimeSpan.Zero && o.DevicesPerRound > 0 && o.PauseAfterRealTelemetry >= TimeSpan.Zero,
                "Twin:Synthetic needs a positive Interval and DevicesPerRound and a non-negative PauseAfterRealTelemetry")
            .ValidateOnStart();
        // one per event log activation; the cluster profile registers its PostgreSQL store first
        services.TryAddTransient<IEventStore, MemoryEventStore>();
        services.TryAddSingleton<RealTelemetrySignal>();
        services.AddHostedService<SyntheticTelemetrySource>();
        return services;
    }
}
