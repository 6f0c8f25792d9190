using Twin.Contracts.Faults;
using Twin.Contracts.Telemetry;

namespace Twin.Contracts.Devices;

/// <summary>What every device grain does: mirror telemetry, carry faults, show its state.</summary>
public interface IDeviceGrain : IGrainWithStringKey
{
    /// <summary>Applies one device's readings; returns how many were applied (stale readings are skipped).</summary>
    ValueTask<int> ApplyTelemetry(DeviceTelemetry telemetry);

    /// <summary>
    /// Applies one device's readings from a batch, answering nothing: the ingestion path makes hundreds of thousands
    /// of these calls a second, and a result would be one more response object to build and copy per call.
    /// </summary>
    ValueTask Ingest(DeviceTelemetry telemetry);

    ValueTask<DeviceView> GetView();

    /// <summary>History of one metric (or all when null) between two event times.</summary>
    ValueTask<DeviceHistory> GetHistory(Twin.Model.Telemetry.Metric? metric, DateTimeOffset? since, DateTimeOffset? until);

    /// <summary>Imposes a fault; publishes a change unless <see cref="FaultEffect.Quiet"/> (bulk faults are summarised by the caller).</summary>
    ValueTask<DeviceChanged?> ApplyFault(FaultEffect effect);

    /// <summary>Lifts a fault; returns the change it made, if any.</summary>
    ValueTask<DeviceChanged?> ClearFault(string faultId, DateTimeOffset eventTime, bool quiet);
}

[Alias("twin.gpu")]
public interface IGpuGrain : IDeviceGrain;

[Alias("twin.switch")]
public interface ISwitchGrain : IDeviceGrain;

[Alias("twin.optic-link")]
public interface IOpticLinkGrain : IDeviceGrain;

[Alias("twin.storage-node")]
public interface IStorageNodeGrain : IDeviceGrain;

[Alias("twin.dpu")]
public interface IDpuGrain : IDeviceGrain
{
    /// <summary>Replaces the policy the DPU enforces (connection state and counters start afresh).</summary>
    Task SetPolicy(Security.DpuPolicyDefinition policy);

    /// <summary>Null while none was set (the DPU then passes everything and says so).</summary>
    Task<Security.DpuPolicyDefinition?> GetPolicy();

    /// <summary>Decides a flow from its host; a denied or suspect flow is a security event.</summary>
    Task<Security.FlowDecision> Decide(Security.FlowSpec flow);
}

[Alias("twin.dci-link")]
public interface IDciLinkGrain : IDeviceGrain;
