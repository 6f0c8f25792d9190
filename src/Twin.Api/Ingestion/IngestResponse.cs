using Twin.Contracts.Telemetry;

namespace Twin.Api.Ingestion;

/// <summary>
/// What a telemetry request did: samples applied, refused (with reasons), ignored on purpose (series the
/// twin does not use), and for devices the topology does not know.
/// </summary>
public sealed record IngestResponse(
    long Accepted,
    long Rejected,
    long Skipped,
    long UnknownDevices,
    int Devices,
    IReadOnlyList<IngestError> Errors,
    long ErrorsOmitted)
{
    /// <summary>Hosts the inventory does not know that sent samples in this body; listed at <c>/api/v1/inventory/discovered</c>.</summary>
    public IReadOnlyList<string> DiscoveredHosts { get; init; } = [];

    public static IngestResponse From(IngestReport report, int devices, IReadOnlyList<string>? discovered = null) =>
        new(report.Accepted, report.Rejected, report.Skipped, report.UnknownDevices, devices, report.Errors, report.ErrorsOmitted)
        {
            DiscoveredHosts = discovered ?? [],
        };
}
