namespace Twin.Model.Telemetry;

/// <summary>
/// The twin's canonical metric vocabulary. One spelling per quantity (see <see cref="MetricCatalog"/>);
/// DCGM field names, node_exporter and OpenTelemetry <c>hw.*</c> names map onto it.
/// </summary>
public enum Metric : ushort
{
    // shared
    TemperatureC,
    PowerW,
    Utilization,
    Online,

    // gpu
    SmClockMhz,
    MemClockMhz,
    MemoryTemperatureC,
    MemoryUsedMiB,
    MemoryFreeMiB,
    EnergyJ,
    EccSbeTotal,
    EccDbeTotal,
    Xid,
    NvlinkErrorsTotal,
    NvlinkBandwidthGbps,
    PcieReplayTotal,
    RowRemapPending,
    RowRemapFailure,
    TensorActive,

    // link / switch / dci traffic
    RxPowerDbm,
    TxPowerDbm,
    LaserBiasMa,
    PreFecBer,
    FecCorrectedTotal,
    FecUncorrectableTotal,
    OperUp,
    FlapsTotal,
    TxGbps,
    RxGbps,
    SymbolErrorsTotal,
    PortsDown,
    BufferUsedPct,
    DropsPerSecond,
    EcnMarksPerSecond,
    PfcPausesPerSecond,
    LatencyMs,
    LossPct,

    // storage
    ReadGBps,
    WriteGBps,
    Iops,
    LatencyP99Ms,
    UsedTB,

    // dpu
    ConntrackSessions,
    RateLimitHitsTotal,
    FirewallDropsTotal,
    AttestationOk,

    // raw traffic counters (added after the first release: new members go at the end so stored values keep their meaning);
    // the device grain turns their deltas into TxGbps/RxGbps
    TxBytesTotal,
    RxBytesTotal,
    ErrorsTotal,
}
