using Twin.Contracts.Devices;
using Twin.Contracts.Sites;
using Twin.Contracts.Traffic;
using Twin.Model.Devices;
using Twin.Model.Fabric;
using Twin.Model.Topology;

namespace Twin.Grains.Sites;

/// <summary>
/// A site's counts and indexes, updated in O(1) per device change: health per kind, which devices
/// are unhealthy, which GPUs cannot take work, fabric bandwidth per tier, storage bandwidth.
/// Plain state so the coordinator grain stays thin and the arithmetic is testable.
/// </summary>
public sealed class SiteLedger
{
    private readonly FactoryTopology _topology;
    private readonly HealthCounts[] _counts;
    private readonly Dictionary<string, DeviceHealth> _unhealthy = new(StringComparer.Ordinal);
    // GPU id → the devices on its path (itself, its NIC link, its leaf) that cut it off now, one bit each
    private readonly Dictionary<string, byte> _unusable = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TierState> _tiers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _activeFaults = new(StringComparer.Ordinal);
    private double _storageRead;
    private double _storageReadAvailable;
    private readonly Dictionary<string, string> _jobOf = new(StringComparer.Ordinal);
    // job → how many of its GPUs are out of the pool now
    private readonly Dictionary<string, int> _jobsHit = new(StringComparer.Ordinal);
    private readonly List<(string Gpu, string Job)> _lost = [];
    private readonly List<(string Gpu, string Job)> _restored = [];
    private readonly List<TrafficEvent> _flows = [];

    public SiteLedger(FactoryTopology topology, string site)
    {
        _topology = topology;
        Site = site;
        Spec = topology.Spec.Sites.First(s => s.Name == site);
        _counts = Enum.GetValues<DeviceKind>().Select(_ => new HealthCounts()).ToArray();
        foreach (var d in topology.Devices)
        {
            if (d.Site != site)
            {
                continue;
            }
            var c = _counts[(int)d.Kind];
            c.Total++;
            c.Healthy++;
            if (d.Kind == DeviceKind.Link && d.Tier is { } tier)
            {
                var t = _tiers.TryGetValue(tier, out var existing) ? existing : _tiers[tier] = new TierState();
                t.Links++;
                t.Up++;
                t.TotalGbps += d.SpeedGbps;
                t.AvailableGbps += d.SpeedGbps;
            }
            else if (d.Kind == DeviceKind.Storage)
            {
                _storageRead += d.MaxReadGBps;
                _storageReadAvailable += d.MaxReadGBps;
            }
        }
    }

    public string Site { get; }

    public SiteSpec Spec { get; }

    public DateTimeOffset? LastEventTime { get; private set; }

    public IReadOnlyDictionary<string, DeviceHealth> Unhealthy => _unhealthy;

    public int ActiveFaults => _activeFaults.Count;

    /// <summary>Latest event time this ledger has seen: the coordinator's clock for traffic in flight.</summary>
    public DateTimeOffset? Clock { get; private set; }

    public IReadOnlyCollection<string> UnusableGpus => _unusable.Keys;

    public IEnumerable<string> Jobs => _jobsHit.Keys;

    public double BisectionAvailableTbps => Bisection(available: true);

    /// <summary>Share of the site's storage read bandwidth up now (1 with no storage).</summary>
    public double StorageShare => _storageRead > 0 ? Math.Max(0, _storageReadAvailable) / _storageRead : 1.0;

    public double FabricShare => Bisection(available: false) is > 0 and var total ? Bisection(available: true) / total : 1.0;

    public void AssignJob(string jobId, IEnumerable<string> gpus)
    {
        _jobsHit.TryAdd(jobId, 0);
        foreach (var gpu in gpus)
        {
            _jobOf[gpu] = jobId;
            if (_unusable.ContainsKey(gpu))
            {
                _jobsHit[jobId]++;
            }
        }
    }

    public void ReleaseJob(string jobId, IReadOnlyCollection<string>? gpus = null)
    {
        foreach (var gpu in _jobOf.Where(kv => kv.Value == jobId && (gpus is null || gpus.Contains(kv.Key))).Select(kv => kv.Key).ToList())
        {
            _jobOf.Remove(gpu);
            if (gpus is not null && _unusable.ContainsKey(gpu))
            {
                _jobsHit[jobId]--;
            }
        }
        if (gpus is null)
        {
            _jobsHit.Remove(jobId);
        }
    }

    /// <summary>Workloads whose GPUs here sit on more than one leaf: a spine or core switch lost here interrupts them (<see cref="Usability.SpineLossInterrupts"/>).</summary>
    public IEnumerable<string> JobsCrossingLeaves() =>
        _jobOf.GroupBy(kv => kv.Value, kv => kv.Key)
            .Where(job => Usability.SpineLossInterrupts(_topology.Paths.LeavesUnder(job)))
            .Select(job => job.Key);

    /// <summary>GPUs that left the pool since the last call, with the job each belonged to.</summary>
    public List<(string Gpu, string Job)> TakeLostJobGpus() => Take(_lost);

    /// <summary>GPUs that came back to the pool since the last call, with the job each belongs to.</summary>
    public List<(string Gpu, string Job)> TakeRestoredJobGpus() => Take(_restored);

    private static List<(string Gpu, string Job)> Take(List<(string Gpu, string Job)> list)
    {
        var taken = list.ToList();
        list.Clear();
        return taken;
    }

    public void AddTraffic(TrafficEvent flow)
    {
        Tick(flow.Start);
        _flows.RemoveAll(f => f.Id == flow.Id); // a burst planned anew (shared storage) replaces its earlier plan
        _flows.Add(flow);
        _flows.RemoveAll(f => f.End <= Clock);
    }

    private void Tick(DateTimeOffset t)
    {
        if (Clock is null || t > Clock)
        {
            Clock = t;
        }
    }

    public void FaultActivity(string faultId, bool active)
    {
        if (active)
        {
            _activeFaults.Add(faultId);
        }
        else
        {
            _activeFaults.Remove(faultId);
        }
    }

    /// <summary>Applies one change; false when it changes nothing the ledger tracks (a repeat).</summary>
    public bool Apply(DeviceChanged change)
    {
        if (LastEventTime is null || change.EventTime > LastEventTime)
        {
            LastEventTime = change.EventTime;
        }
        Tick(change.EventTime);
        var device = _topology.Find(change.DeviceId);
        if (device is not null && Usability.OnGpuPath(device))
        {
            var blocks = Usability.Blocks(change.Health, change.State ?? LinkState.Up);
            var role = device.Kind switch { DeviceKind.Gpu => (byte)1, DeviceKind.Link => (byte)2, _ => (byte)4 };
            foreach (var gpu in _topology.Paths.GpusBehind(device.Id))
            {
                Mark(gpu, role, blocks);
            }
        }
        var previous = _unhealthy.GetValueOrDefault(change.DeviceId, DeviceHealth.Healthy);
        if (previous == change.Health)
        {
            return false;
        }
        var counts = _counts[(int)change.Kind];
        Bucket(counts, previous, -1);
        Bucket(counts, change.Health, +1);
        if (change.Health == DeviceHealth.Healthy)
        {
            _unhealthy.Remove(change.DeviceId);
        }
        else
        {
            _unhealthy[change.DeviceId] = change.Health;
        }

        switch (change.Kind)
        {
            case DeviceKind.Link when device?.Tier is { } tier:
                var wasUp = previous != DeviceHealth.Failed;
                var isUp = change.Health != DeviceHealth.Failed;
                if (wasUp != isUp)
                {
                    var t = _tiers[tier];
                    t.Up += isUp ? 1 : -1;
                    t.AvailableGbps += isUp ? device.SpeedGbps : -device.SpeedGbps;
                }
                break;
            case DeviceKind.Storage when device is not null:
                _storageReadAvailable += device.MaxReadGBps * (change.Health.CapacityShare() - previous.CapacityShare());
                break;
        }
        return true;
    }

    public SiteSummary Summary() => new()
    {
        Name = Site,
        Gpus = Copy(DeviceKind.Gpu),
        Switches = Copy(DeviceKind.Switch),
        Links = Copy(DeviceKind.Link),
        StorageNodes = Copy(DeviceKind.Storage),
        Dpus = Copy(DeviceKind.Dpu),
        UsableGpus = _counts[(int)DeviceKind.Gpu].Total - _unusable.Count,
        Fabric = _tiers.OrderBy(t => TierOrder(t.Key))
            .Select(t => new FabricCapacity(t.Key, t.Value.Links, t.Value.Up, t.Value.TotalGbps / 1000, Math.Max(0, t.Value.AvailableGbps) / 1000))
            .ToList(),
        BisectionTbps = Bisection(available: false),
        BisectionAvailableTbps = Bisection(available: true),
        StorageReadGBps = _storageRead,
        StorageReadAvailableGBps = Math.Max(0, _storageReadAvailable),
        ActiveFaults = _activeFaults.Count,
        LastEventTime = LastEventTime,
        GpuModel = Spec.GpuModel,
        Network = Spec.Fabric.Network,
        FabricTiers = Spec.Fabric.Tiers,
        Jobs = _jobsHit.Count,
        JobsAffected = _jobsHit.Count(j => j.Value > 0),
        Traffic = Traffic(),
    };

    private void Mark(string gpu, byte reason, bool set)
    {
        var before = _unusable.GetValueOrDefault(gpu);
        var flags = set ? (byte)(before | reason) : (byte)(before & ~reason);
        if (flags == 0)
        {
            _unusable.Remove(gpu);
        }
        else
        {
            _unusable[gpu] = flags;
        }
        if ((before == 0) != (flags == 0) && _jobOf.TryGetValue(gpu, out var job))
        {
            _jobsHit[job] += flags == 0 ? -1 : 1;
            (flags != 0 ? _lost : _restored).Add((gpu, job));
        }
    }

    private TrafficSummary Traffic()
    {
        if (Clock is not { } now)
        {
            return TrafficSummary.None;
        }
        var active = _flows.Where(f => f.Start <= now && now < f.End).ToList();
        var read = active.Sum(f => f.StorageReadGBps);
        var fabric = active.Sum(f => f.FabricGbps);
        var fabricUp = _tiers.Values.Sum(t => Math.Max(0, t.AvailableGbps));
        return new TrafficSummary(
            active.Count,
            read,
            active.Sum(f => f.StorageWriteGBps),
            _storageReadAvailable > 0 ? Math.Min(1, read / _storageReadAvailable) : read > 0 ? 1 : 0,
            fabric,
            fabricUp > 0 ? Math.Min(1, fabric / fabricUp) : fabric > 0 ? 1 : 0,
            now);
    }

    // Bisection of a fat tree: half the bandwidth of the top tier's links (one tier: half the GPU ports).
    private double Bisection(bool available)
    {
        var top = _tiers.OrderByDescending(t => TierOrder(t.Key)).Select(t => t.Value).FirstOrDefault();
        return top is null ? 0 : Math.Max(0, available ? top.AvailableGbps : top.TotalGbps) / 2 / 1000;
    }

    private static int TierOrder(string tier) => FabricNames.ParseLinkTier(tier) is { } known ? (int)known : int.MaxValue;

    private HealthCounts Copy(DeviceKind kind)
    {
        var c = _counts[(int)kind];
        return new HealthCounts { Total = c.Total, Healthy = c.Healthy, Degraded = c.Degraded, Failed = c.Failed, Other = c.Other };
    }

    private static void Bucket(HealthCounts c, DeviceHealth h, int delta)
    {
        switch (h)
        {
            case DeviceHealth.Healthy: c.Healthy += delta; break;
            case DeviceHealth.Degraded: c.Degraded += delta; break;
            case DeviceHealth.Failed: c.Failed += delta; break;
            default: c.Other += delta; break;
        }
    }

    private sealed class TierState
    {
        public int Links;
        public int Up;
        public double TotalGbps;
        public double AvailableGbps;
    }
}
