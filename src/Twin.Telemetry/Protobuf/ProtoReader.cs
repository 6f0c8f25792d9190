using System.Buffers.Binary;

namespace Twin.Telemetry.Protobuf;

/// <summary>
/// Reads the protobuf wire format from a span without building objects: tags, varints, fixed-width numbers and
/// length-delimited ranges. A nested message is read by a reader over the same buffer limited to the message's
/// range, so positions (<see cref="Position"/>) are always offsets into the whole body. Malformed input (a varint
/// past 10 bytes, a length beyond the enclosing message, an unknown wire type) is a
/// <see cref="TelemetryFormatException"/> naming the byte offset.
/// </summary>
public ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly int _end;
    private int _position;

    /// <summary>A reader over a whole message.</summary>
    public ProtoReader(ReadOnlySpan<byte> buffer)
        : this(buffer, 0, buffer.Length)
    {
    }

    private ProtoReader(ReadOnlySpan<byte> buffer, int start, int end)
    {
        _buffer = buffer;
        _position = start;
        _end = end;
    }

    /// <summary>Offset of the next byte to read within the whole buffer.</summary>
    public readonly int Position => _position;

    /// <summary>The whole buffer the offsets refer to.</summary>
    public readonly ReadOnlySpan<byte> Buffer => _buffer;

    public readonly bool End => _position >= _end;

    /// <summary>Reads the next field's tag; false at the end of the message.</summary>
    public bool TryReadTag(out int field, out WireType type)
    {
        if (_position >= _end)
        {
            field = 0;
            type = default;
            return false;
        }
        var at = _position;
        var tag = ReadVarint();
        field = (int)(tag >> 3);
        type = (WireType)(tag & 7);
        if (field <= 0 || tag >> 3 > int.MaxValue || type is WireType.StartGroup or WireType.EndGroup || (byte)type > 5)
        {
            throw Malformed(at, $"invalid field tag {tag}");
        }
        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _end)
            {
                throw Malformed(_position, "truncated varint");
            }
            var b = _buffer[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }
        throw Malformed(_position, "varint longer than 10 bytes");
    }

    public ulong ReadFixed64()
    {
        Need(8);
        var value = BinaryPrimitives.ReadUInt64LittleEndian(_buffer.Slice(_position, 8));
        _position += 8;
        return value;
    }

    public uint ReadFixed32()
    {
        Need(4);
        var value = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.Slice(_position, 4));
        _position += 4;
        return value;
    }

    public double ReadDouble() => BitConverter.UInt64BitsToDouble(ReadFixed64());

    /// <summary>A length-delimited field's bytes; <paramref name="start"/> is their offset in the whole buffer.</summary>
    public ReadOnlySpan<byte> ReadBytes(out int start)
    {
        var length = ReadLength();
        start = _position;
        _position += length;
        return _buffer.Slice(start, length);
    }

    public ReadOnlySpan<byte> ReadBytes() => ReadBytes(out _);

    /// <summary>A reader over an embedded message (a length-delimited field).</summary>
    public ProtoReader ReadMessage()
    {
        var length = ReadLength();
        var start = _position;
        _position += length;
        return new ProtoReader(_buffer, start, start + length);
    }

    /// <summary>Skips a field of a type the caller does not read.</summary>
    public void Skip(WireType type)
    {
        switch (type)
        {
            case WireType.Varint:
                ReadVarint();
                break;
            case WireType.Fixed64:
                Need(8);
                _position += 8;
                break;
            case WireType.Fixed32:
                Need(4);
                _position += 4;
                break;
            case WireType.LengthDelimited:
                var length = ReadLength(); // read first: `_position += ReadLength()` would add to the position before the length
                _position += length;
                break;
            default:
                throw Malformed(_position, $"wire type {(int)type} cannot be skipped");
        }
    }

    /// <summary>Checks a known field arrived with the wire type its schema gives it.</summary>
    public readonly void Expect(WireType actual, WireType expected, int field)
    {
        if (actual != expected)
        {
            throw Malformed(_position, $"field {field} has wire type {(int)actual}, expected {(int)expected}");
        }
    }

    private int ReadLength()
    {
        var at = _position;
        var length = ReadVarint();
        if (length > (ulong)(_end - _position))
        {
            throw Malformed(at, $"length {length} runs past the end of its message (truncated body?)");
        }
        return (int)length;
    }

    private readonly void Need(int bytes)
    {
        if (_end - _position < bytes)
        {
            throw Malformed(_position, "truncated fixed-width field");
        }
    }

    private static TelemetryFormatException Malformed(int at, string reason) =>
        new($"malformed protobuf at byte {at}: {reason}") { Position = at };
}
