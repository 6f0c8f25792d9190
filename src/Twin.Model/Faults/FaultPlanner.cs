using System.Globalization;
using Twin.Model.Devices;
using Twin.Model.Fabric;
using Twin.Model.Health;
using Twin.Model.Outcomes;
using Twin.Model.Topology;

namespace Twin.Model.Faults;

/// <summary>
/// Validates a fault request against the topology and works out its cascade: a switch takes its links
/// down, a host its GPUs, their NIC links and its DPU, a site everything in it. Pure: the grains apply it.
/// </summary>
public sealed class FaultPlanner
{
    private readonly FactoryTopology _topology;
    private readonly Dictionary<string, List<DeviceDescriptor>> _linksByEndpoint = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DeviceDescriptor>> _hostDevices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DeviceDescriptor>> _dciPairs = new(StringComparer.Ordinal);

    public FaultPlanner(FactoryTopology topology)
    {
        _topology = topology;
        foreach (var d in topology.Devices)
        {
            switch (d.Kind)
            {
                case DeviceKind.Link:
                    Add(_linksByEndpoint, d.EndpointA!, d);
                    Add(_linksByEndpoint, d.EndpointB!, d);
                    break;
                case DeviceKind.Gpu or DeviceKind.Dpu:
                    Add(_hostDevices, HostKey(d.Site, d.Host!), d);
                    break;
                case DeviceKind.Dci:
                    Add(_dciPairs, $"dci/{d.EndpointA}-{d.EndpointB}", d);
                    break;
            }
        }
    }

    public static string HostKey(string site, string host) => $"{site}/host/{host}";

    public IReadOnlyList<DeviceDescriptor> LinksOf(string deviceId) => _linksByEndpoint.GetValueOrDefault(deviceId) ?? [];

    /// <summary>Plans a fault, or says which field is wrong (404 for a target that does not exist).</summary>
    public (FaultEffectPlan? Plan, FaultRejection? Rejection) Plan(FaultRequest request, HealthThresholds thresholds)
    {
        if (FaultKinds.Find(request.Kind) is not { } kind)
        {
            return Reject(Refusal.Invalid, "kind", $"'{request.Kind}' is not a fault kind; kinds are {string.Join(", ", FaultKinds.All.Select(k => k.Name))}");
        }
        if (string.IsNullOrWhiteSpace(request.Target))
        {
            return Reject(Refusal.Invalid, "target", "target is required");
        }
        if (request.Duration is { } duration && duration <= TimeSpan.Zero)
        {
            return Reject(Refusal.Invalid, "duration", "duration must be positive");
        }
        var p = new FaultParameters(request.Parameters);
        if (p.FirstInvalid() is { } bad)
        {
            return Reject(Refusal.Invalid, $"parameters.{bad}", $"parameters.{bad} must be a number");
        }
        switch (kind.Target)
        {
            case FaultTarget.Site:
                return _topology.Spec.Sites.Any(s => s.Name == request.Target)
                    ? Ok(SitePowerLoss(request.Target))
                    : Reject(Refusal.NotFound, "target", $"no site '{request.Target}'");
            case FaultTarget.Dci when _dciPairs.TryGetValue(request.Target, out var pair):
                return Ok(Dci(kind.Name, pair, p));
            case FaultTarget.Host when _hostDevices.TryGetValue(request.Target, out var hostDevices):
                return Ok(kind.Name == "attestation-failed" ? Quarantine(request.Target, hostDevices, p) : HostPowerLoss(request.Target, hostDevices));
        }
        if (!_topology.TryGet(request.Target, out var target))
        {
            return Reject(Refusal.NotFound, "target", $"no device '{request.Target}'");
        }
        if (!kind.Target.Accepts(target.Kind))
        {
            return Reject(Refusal.Invalid, "target", $"a {kind.Name} fault targets a {kind.Target.ToString().ToLowerInvariant()}, not a {target.Kind.Name()} ('{target.Id}')");
        }
        return kind.Name switch
        {
            "gpu-xid" => GpuXid(target, p, thresholds),
            "gpu-thermal" => Ok(Single(target, DeviceHealth.Degraded, "thermal throttling",
                metrics: Metric("temperature_c", p.Number("temperatureC", 90)))),
            "hbm-error" => Ok(Single(target, DeviceHealth.Failed, "uncorrectable HBM error", metrics: Metric("ecc_dbe_total", 1))),
            "nvlink-down" => Ok(Single(target, DeviceHealth.Degraded, "NVLink down (XID 74)", metrics: Metric("xid", 74))),
            "optic-degrade" => Ok(Single(target, DeviceHealth.Degraded,
                $"optic degraded: rx {p.Number("rxPowerDbm", -9.5).ToString("0.0", CultureInfo.InvariantCulture)} dBm",
                metrics: new Dictionary<string, double>
                {
                    ["rx_power_dbm"] = p.Number("rxPowerDbm", -9.5),
                    ["pre_fec_ber"] = p.Number("preFecBer", 5e-4),
                })),
            "link-down" => Ok(Single(target, DeviceHealth.Failed, "link down", state: LinkState.Down)),
            "link-flap" => Ok(Single(target, DeviceHealth.Degraded, "link flapping", state: LinkState.Flapping)),
            "switch-down" => Ok(SwitchDown(target)),
            "switch-port-down" => SwitchPortDown(target, p),
            "storage-down" => Ok(Single(target, DeviceHealth.Failed, "storage node down")),
            "storage-slow" => Ok(Single(target, DeviceHealth.Degraded, "storage slow",
                metrics: Metric("latency_p99_ms", p.Number("latencyP99Ms", 120)))),
            "dpu-failure" => Ok(Single(target, DeviceHealth.Failed, "DPU failed")),
            "dci-cut" or "dci-degrade" => Ok(Dci(kind.Name, [target], p)),
            "host-power-loss" => Ok(HostPowerLoss(HostKey(target.Site, target.Host!), _hostDevices[HostKey(target.Site, target.Host!)])),
            "attestation-failed" => Ok(Quarantine(HostKey(target.Site, target.Host!), _hostDevices[HostKey(target.Site, target.Host!)], p)),
            _ => Reject(Refusal.Invalid, "kind", $"'{kind.Name}' cannot be planned"),
        };
    }

    private (FaultEffectPlan?, FaultRejection?) GpuXid(DeviceDescriptor gpu, FaultParameters p, HealthThresholds t)
    {
        if (p.Number("xid") is not { } value || value < 1 || value != Math.Floor(value))
        {
            return Reject(Refusal.Invalid, "parameters.xid", "gpu-xid needs parameters.xid, a positive XID code such as 79");
        }
        var xid = (int)value;
        var health = t.GpuFailingXids.Contains(xid) ? DeviceHealth.Failed : DeviceHealth.Degraded;
        return Ok(Single(gpu, health, $"XID {xid}", metrics: Metric("xid", xid)));
    }

    private (FaultEffectPlan?, FaultRejection?) SwitchPortDown(DeviceDescriptor sw, FaultParameters p)
    {
        var links = LinksOf(sw.Id);
        var wanted = p.Text("link");
        var link = wanted is null ? links.FirstOrDefault() : links.FirstOrDefault(l => l.Id == wanted);
        if (link is null)
        {
            return wanted is null
                ? Reject(Refusal.Invalid, "target", $"switch '{sw.Id}' has no links")
                : Reject(Refusal.Invalid, "parameters.link", $"'{wanted}' is not a link of {sw.Id}");
        }
        var effects = new List<DeviceEffect>
        {
            new(sw.Id, sw.Kind, sw.Site, DeviceHealth.Degraded, $"port to {Other(link, sw.Id)} down"),
            new(link.Id, link.Kind, link.Site, DeviceHealth.Failed, $"switch port on {sw.Id} down", LinkState.Down),
        };
        return Ok(new FaultEffectPlan(sw.Site, effects, $"{sw.Id}: port to {Other(link, sw.Id)} down"));
    }

    private FaultEffectPlan SwitchDown(DeviceDescriptor sw)
    {
        var effects = new List<DeviceEffect> { new(sw.Id, sw.Kind, sw.Site, DeviceHealth.Failed, "switch down") };
        effects.AddRange(LinksOf(sw.Id).Select(l => new DeviceEffect(l.Id, l.Kind, l.Site, DeviceHealth.Failed, $"{sw.Id} down", LinkState.Down)));
        return new FaultEffectPlan(sw.Site, effects, $"{sw.Id} down with {effects.Count - 1} link(s)");
    }

    // Zero trust: a host that cannot prove what runs on it keeps running but takes no work and no tenant's data.
    private static FaultEffectPlan Quarantine(string hostKey, List<DeviceDescriptor> devices, FaultParameters p)
    {
        var status = p.Text("status") ?? "failed";
        var effects = devices.Select(d => new DeviceEffect(d.Id, d.Kind, d.Site, DeviceHealth.Quarantined, $"attestation {status}")).ToList();
        return new FaultEffectPlan(devices[0].Site, effects, $"{hostKey} quarantined: attestation {status}, {devices.Count(d => d.Kind == DeviceKind.Gpu)} GPUs out of the pool");
    }

    private FaultEffectPlan HostPowerLoss(string hostKey, List<DeviceDescriptor> devices)
    {
        var effects = new List<DeviceEffect>();
        foreach (var d in devices)
        {
            effects.Add(new DeviceEffect(d.Id, d.Kind, d.Site, DeviceHealth.Failed, "host power loss", Metrics: Metric("online", 0)));
            if (d.Kind == DeviceKind.Gpu)
            {
                effects.AddRange(LinksOf(d.Id).Select(l => new DeviceEffect(l.Id, l.Kind, l.Site, DeviceHealth.Failed, "host power loss", LinkState.Down)));
            }
        }
        return new FaultEffectPlan(devices[0].Site, effects, $"{hostKey} lost power: {devices.Count(d => d.Kind == DeviceKind.Gpu)} GPUs, DPU and NIC links down");
    }

    private FaultEffectPlan SitePowerLoss(string site)
    {
        var effects = _topology.Devices.Where(d => d.Site == site)
            .Select(d => new DeviceEffect(d.Id, d.Kind, d.Site, DeviceHealth.Failed, "site power loss",
                d.Kind == DeviceKind.Link ? LinkState.Down : null))
            .ToList();
        return new FaultEffectPlan(site, effects, $"site {site} lost power: {effects.Count:N0} devices down");
    }

    private static FaultEffectPlan Dci(string kind, IReadOnlyList<DeviceDescriptor> links, FaultParameters p)
    {
        var cut = kind == "dci-cut";
        var loss = p.Number("lossPct", 0.5);
        var effects = links.Select(l => cut
            ? new DeviceEffect(l.Id, l.Kind, l.Site, DeviceHealth.Failed, "DCI fibre cut", LinkState.Down)
            : new DeviceEffect(l.Id, l.Kind, l.Site, DeviceHealth.Degraded,
                $"DCI degraded: {loss.ToString("0.##", CultureInfo.InvariantCulture)}% loss",
                Metrics: new Dictionary<string, double>
                {
                    ["loss_pct"] = loss,
                    ["latency_ms"] = Fabric.FibrePropagation.OneWay(l.DistanceKm).TotalMilliseconds + p.Number("extraLatencyMs", 0),
                })).ToList();
        var pair = $"{links[0].EndpointA}-{links[0].EndpointB}";
        return new FaultEffectPlan("dci", effects, cut ? $"DCI {pair}: {effects.Count} link(s) cut" : $"DCI {pair}: {effects.Count} link(s) degraded");
    }

    private static FaultEffectPlan Single(DeviceDescriptor d, DeviceHealth health, string reason, LinkState? state = null,
        IReadOnlyDictionary<string, double>? metrics = null) =>
        new(d.Site, [new DeviceEffect(d.Id, d.Kind, d.Site, health, reason, state, metrics)], $"{d.Id}: {reason}");

    private static Dictionary<string, double> Metric(string name, double value) => new() { [name] = value };

    private static string Other(DeviceDescriptor link, string end) => link.EndpointA == end ? link.EndpointB! : link.EndpointA!;

    private static (FaultEffectPlan?, FaultRejection?) Ok(FaultEffectPlan plan) => (plan, null);

    private static (FaultEffectPlan?, FaultRejection?) Reject(Refusal reason, string field, string message) => (null, new FaultRejection(reason, field, message));

    private static void Add(Dictionary<string, List<DeviceDescriptor>> index, string key, DeviceDescriptor d)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }
        list.Add(d);
    }
}
