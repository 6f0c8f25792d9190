namespace Twin.Api.Ingestion;

/// <summary>Prometheus endpoints (dcgm-exporter on :9400, node_exporter) the silo scrapes itself (<c>Twin:Scrape</c>).</summary>
public sealed class ScrapeOptions
{
    public List<ScrapeTarget> Targets { get; set; } = [];
}

/// <summary>One endpoint to scrape.</summary>
public sealed class ScrapeTarget
{
    /// <summary>Name shown in the target list; defaults to the URL.</summary>
    public string? Name { get; set; }

    public string Url { get; set; } = "";

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
