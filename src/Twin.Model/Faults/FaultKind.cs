using Twin.Model.Devices;

namespace Twin.Model.Faults;

/// <summary>
/// A kind of fault the twin can inject (REST spelling kebab-case), what it may target, and the Llama 3
/// cause it stands for. Targets are device ids, except host faults (a GPU, DPU or <c>site/host/hNNNN</c>),
/// site faults (a site name) and DCI faults (a DCI link id or <c>dci/a-b</c> for every link of a pair).
/// <see cref="Example"/> holds the parameters a typical injection gives (the dashboard pre-fills them); parameters a
/// request leaves out take the planner's defaults.
/// </summary>
public sealed record FaultKind(string Name, FaultTarget Target, string Description, IReadOnlyDictionary<string, string>? Example = null);

/// <summary>What a fault kind may be aimed at.</summary>
public enum FaultTarget : byte
{
    Gpu,
    Link,
    Switch,
    Storage,
    Dpu,
    Dci,
    Host,
    Site,
}

/// <summary>The catalogue of fault kinds.</summary>
public static class FaultKinds
{
    public static IReadOnlyList<FaultKind> All { get; } =
    [
        new("gpu-xid", FaultTarget.Gpu, "GPU reports an XID (parameters.xid): 48/64/79/95/119/120 fail it, 63/74/92/94 degrade it", Example("xid", "79")),
        new("gpu-thermal", FaultTarget.Gpu, "GPU throttles on temperature (parameters.temperatureC, default 90)", Example("temperatureC", "90")),
        new("hbm-error", FaultTarget.Gpu, "uncorrectable HBM error: the GPU fails until reset"),
        new("nvlink-down", FaultTarget.Gpu, "an NVLink of the GPU is down (XID 74): scale-up bandwidth reduced"),
        new("optic-degrade", FaultTarget.Link, "optic loses margin: rx power drops (parameters.rxPowerDbm, default -9.5), BER rises", Example("rxPowerDbm", "-9.5")),
        new("link-down", FaultTarget.Link, "link loses signal and goes down"),
        new("link-flap", FaultTarget.Link, "link flaps up and down"),
        new("switch-down", FaultTarget.Switch, "switch fails: every link on it goes down"),
        new("switch-port-down", FaultTarget.Switch, "one port of the switch goes down (parameters.link names the link; default its first)"),
        new("host-power-loss", FaultTarget.Host, "host loses power: its GPUs, their NIC links and its DPU fail"),
        new("attestation-failed", FaultTarget.Host, "the host's attestation failed or is missing (parameters.status): its GPUs and DPU are quarantined, out of the pool", Example("status", "failed")),
        new("storage-down", FaultTarget.Storage, "storage node goes offline"),
        new("storage-slow", FaultTarget.Storage, "storage node serves slowly (parameters.latencyP99Ms, default 120)", Example("latencyP99Ms", "120")),
        new("dpu-failure", FaultTarget.Dpu, "DPU fails: the host loses its front-end network and policy enforcement"),
        new("dci-cut", FaultTarget.Dci, "DCI fibre cut: the link (or every link of a site pair) goes down"),
        new("dci-degrade", FaultTarget.Dci, "DCI link degrades: packet loss (parameters.lossPct, default 0.5) and extra latency", Example("lossPct", "0.5")),
        new("site-power-loss", FaultTarget.Site, "whole site loses power: every device of the site fails"),
    ];

    private static Dictionary<string, string> Example(string key, string value) => new(StringComparer.Ordinal) { [key] = value };

    public static FaultKind? Find(string name) => All.FirstOrDefault(k => k.Name == name);

    public static bool Accepts(this FaultTarget target, DeviceKind kind) => target switch
    {
        FaultTarget.Gpu => kind == DeviceKind.Gpu,
        FaultTarget.Link => kind == DeviceKind.Link,
        FaultTarget.Switch => kind == DeviceKind.Switch,
        FaultTarget.Storage => kind == DeviceKind.Storage,
        FaultTarget.Dpu => kind == DeviceKind.Dpu,
        FaultTarget.Dci => kind == DeviceKind.Dci,
        FaultTarget.Host => kind is DeviceKind.Gpu or DeviceKind.Dpu,
        _ => false,
    };
}
