namespace Twin.Telemetry;

/// <summary>
/// The body is not in the announced format at all (not JSON, not protobuf, a broken gzip stream,
/// too large once decompressed). The API turns it into a 400 problem; the message names the
/// line/position when the format has one.
/// </summary>
public sealed class TelemetryFormatException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>1-based line of the problem, when known.</summary>
    public long? Line { get; init; }

    /// <summary>Byte position within <see cref="Line"/> (or within the body), when known.</summary>
    public long? Position { get; init; }

    /// <summary>The body would exceed the decompressed size limit: a 413, not a 400.</summary>
    public bool TooLarge { get; init; }
}
