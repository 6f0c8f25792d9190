using System.IO.Compression;
using System.Runtime.InteropServices;

namespace Twin.Telemetry.Bodies;

/// <summary>
/// Gzip-compressed bodies (<c>Content-Encoding: gzip</c>, or a scraper that forgot the header): detected by the magic
/// bytes, which no text, JSON or OTLP protobuf body starts with, and decompressed with a size cap against zip bombs.
/// </summary>
public static class GzipBody
{
    public static bool IsGzip(ReadOnlySpan<byte> body) => body.Length >= 2 && body[0] == 0x1f && body[1] == 0x8b;

    /// <summary>The body itself, or its decompressed bytes when it is gzip.</summary>
    public static ReadOnlyMemory<byte> Unwrap(ReadOnlyMemory<byte> body, long maxBytes) =>
        IsGzip(body.Span) ? Decompress(body, maxBytes) : body;

    /// <summary>Decompresses a gzip body; a broken stream or one larger than <paramref name="maxBytes"/> is a <see cref="TelemetryFormatException"/>.</summary>
    public static byte[] Decompress(ReadOnlyMemory<byte> body, long maxBytes)
    {
        var source = MemoryMarshal.TryGetArray(body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);
        using var gzip = new GZipStream(source, CompressionMode.Decompress);
        // text compresses ~10x; start near that and let the stream grow
        using var output = new MemoryStream((int)Math.Min(maxBytes, Math.Max(4096L, body.Length * 8L)));
        var buffer = new byte[81920];
        try
        {
            int n;
            while ((n = gzip.Read(buffer)) > 0)
            {
                if (output.Length + n > maxBytes)
                {
                    throw new TelemetryFormatException($"the gzip body is larger than {maxBytes} bytes once decompressed");
                }
                output.Write(buffer, 0, n);
            }
        }
        catch (InvalidDataException e)
        {
            throw new TelemetryFormatException("the body starts like gzip but is not a valid gzip stream: " + e.Message, e);
        }
        return output.ToArray();
    }
}
