namespace Twin.Model.Devices;

/// <summary>What a device of the factory is. The REST spelling is the lower-case name (<c>gpu</c>, <c>switch</c>, ...).</summary>
public enum DeviceKind : byte
{
    Gpu,
    Switch,
    Link,
    Storage,
    Dpu,
    Dci,
}
