namespace Twin.Api.Observability;

/// <summary>The factory's state as Prometheus series (<c>Twin:Metrics</c>).</summary>
public sealed class FactorySeriesOptions
{
    /// <summary>
    /// How often the cached snapshot behind <c>twin_site_*</c>, <c>twin_devices</c>, <c>twin_faults_active</c>,
    /// <c>twin_dci_*</c>, <c>twin_job_*</c> and <c>twin_inference_*</c> is re-read from the coordinators. Scrapes
    /// read the cache; a Prometheus scraping every 15 s sees state at most this old.
    /// </summary>
    public TimeSpan Refresh { get; set; } = TimeSpan.FromSeconds(5);
}
