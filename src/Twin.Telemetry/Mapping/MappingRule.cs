namespace Twin.Telemetry.Mapping;

/// <summary>How a source value becomes the canonical value.</summary>
public enum MappingRule : byte
{
    /// <summary>canonical = source × <see cref="MetricMapping.Scale"/>.</summary>
    Scaled,

    /// <summary>Enumerated link state: 1 when the source equals <see cref="MetricMapping.UpValue"/>, else 0
    /// (OpenConfig <c>oper-status</c> UP = 1, InfiniBand port state ACTIVE = 4).</summary>
    UpWhenEquals,

    /// <summary>OTel <c>hw.status</c>: only the point whose <c>hw.state</c> is <c>ok</c> is used; its 0/1 is the value.</summary>
    HwStateOk,

    /// <summary>OTel <c>hw.network.io</c>: <c>network.io.direction=receive</c> goes to <see cref="MetricMapping.Alternate"/>.</summary>
    ByDirection,
}
