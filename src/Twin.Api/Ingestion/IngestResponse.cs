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
    public static IngestResponse From(IngestReport report, int devices) =>
        new(report.Accepted, report.Rejected, report.Skipped, report.UnknownDevices, devices, report.Errors, report.ErrorsOmitted);
}
