namespace Twin.Contracts.Forecasts;

/// <summary>One forecast (key = its id): a snapshot of the live factory run ahead on the pure simulated world.</summary>
[Alias("twin.forecast")]
public interface IForecastGrain : IGrainWithStringKey
{
    Task<ForecastStatus> Start(ForecastRequest request);

    /// <summary>Null when no forecast has this id.</summary>
    Task<ForecastStatus?> GetStatus();

    /// <summary>The report (baseline, forecast, their difference) as JSON once done; null before.</summary>
    Task<string?> GetReport();

    /// <summary>Stops it if running and forgets it.</summary>
    Task<ForecastStatus?> Cancel();
}
