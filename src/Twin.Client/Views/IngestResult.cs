using Twin.Contracts.Telemetry;

namespace Twin.Client.Views;

/// <summary>What a telemetry post did: applied, refused (with reasons), skipped on purpose, unknown devices.</summary>
public sealed record IngestResult(long Accepted, long Rejected, long Skipped, long UnknownDevices, int Devices,
    IReadOnlyList<IngestError> Errors, long ErrorsOmitted);
