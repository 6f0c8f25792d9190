using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Twin.Api.Ingestion;

/// <summary>
/// Reads a whole request body into one contiguous buffer (parsers work on spans), honouring the size limit. The
/// buffer is rented from the shared pool: telemetry bodies run to tens of megabytes, and a fresh large-object-heap
/// array per request would drive full collections of a heap that holds hundreds of thousands of device grains.
/// </summary>
public static class RequestBody
{
    private const int DefaultSize = 64 * 1024;

    public static async Task<PooledBody> ReadAll(HttpRequest request, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? DefaultSize, 1, Array.MaxLength));
        var length = 0;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                foreach (var segment in result.Buffer)
                {
                    if (length + segment.Length > buffer.Length)
                    {
                        buffer = Grow(buffer, length, length + segment.Length);
                    }
                    segment.Span.CopyTo(buffer.AsSpan(length));
                    length += segment.Length;
                }
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return new PooledBody(buffer, length);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static byte[] Grow(byte[] buffer, int used, int needed)
    {
        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Max(needed, 2L * buffer.Length)));
        buffer.AsSpan(0, used).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}

/// <summary>A request body in a pooled buffer; dispose it once the batch is parsed (batches keep no reference to it).</summary>
public sealed class PooledBody(byte[] buffer, int length) : IDisposable
{
    private byte[]? _buffer = buffer;

    public ReadOnlyMemory<byte> Memory => _buffer is { } b ? b.AsMemory(0, length) : throw new ObjectDisposedException(nameof(PooledBody));

    public int Length => length;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } b)
        {
            ArrayPool<byte>.Shared.Return(b);
        }
    }
}
