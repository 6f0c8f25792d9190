namespace Twin.Telemetry.Protobuf;

/// <summary>The protobuf wire types (the low three bits of a field's tag).</summary>
public enum WireType : byte
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}
