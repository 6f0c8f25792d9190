namespace Twin.Contracts.Sites;

/// <summary>The factory coordinator (key <c>factory</c>): aggregates site coordinators and keeps DCI link state from the factory stream.</summary>
[Alias("twin.factory")]
public interface IFactoryGrain : IGrainWithStringKey
{
    ValueTask<FactorySummary> GetSummary();

    /// <summary>Activates the coordinators so they subscribe before telemetry flows.</summary>
    ValueTask Start();
}
