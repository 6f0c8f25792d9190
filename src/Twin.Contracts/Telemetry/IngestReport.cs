namespace Twin.Contracts.Telemetry;

/// <summary>
/// What happened to a telemetry batch: samples applied, samples refused, samples for devices the
/// topology does not know, and the first problems found (capped at <see cref="MaxErrors"/>).
/// </summary>
public sealed class IngestReport
{
    public const int MaxErrors = 100;

    public long Accepted { get; set; }

    public long Rejected { get; set; }

    public long UnknownDevices { get; set; }

    /// <summary>
    /// Samples deliberately not used and not errors: series whose name the twin does not map
    /// (exporters send hundreds of those), histogram/summary series, OTLP histograms.
    /// </summary>
    public long Skipped { get; set; }

    public List<IngestError> Errors { get; } = [];

    /// <summary>Problems found beyond <see cref="MaxErrors"/>, counted but not listed.</summary>
    public long ErrorsOmitted { get; set; }

    /// <summary>Counts a refused sample and records why (line for text formats, index for JSON/OTLP items).</summary>
    public void Reject(int? line, int? index, string field, string reason, bool unknownDevice = false)
    {
        Rejected++;
        if (unknownDevice)
        {
            UnknownDevices++;
        }
        if (Errors.Count < MaxErrors)
        {
            Errors.Add(new IngestError(line, index, field, reason));
        }
        else
        {
            ErrorsOmitted++;
        }
    }
}

/// <summary>One refused sample or line: where it was and why.</summary>
public sealed record IngestError(int? Line, int? Index, string Field, string Reason);
