namespace Twin.Contracts.Forecasts;

/// <summary>The forecasts (key <c>factory</c>): which exist, and how many may run at once.</summary>
[Alias("twin.forecast-registry")]
public interface IForecastRegistryGrain : IGrainWithStringKey
{
    /// <summary>Admits a new forecast, or refuses (false) when the limit of concurrent ones is running.</summary>
    Task<bool> Admit(string id);

    Task Finished(string id);

    Task Forget(string id);

    Task<IReadOnlyList<string>> Ids();
}
