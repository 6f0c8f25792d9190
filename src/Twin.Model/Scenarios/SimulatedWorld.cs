using System.Globalization;
using Twin.Model.Devices;
using Twin.Model.Fabric;
using Twin.Model.Faults;
using Twin.Model.Storage;
using Twin.Model.Topology;
using Twin.Model.Workloads;

namespace Twin.Model.Scenarios;

/// <summary>
/// An in-memory <see cref="IScenarioWorld"/>: device health from the same <see cref="FaultPlanner"/> cascades the
/// grains use, and a small synchronous-training job model, so scenarios run offline and in unit tests.
/// <para>
/// Usability: a GPU is usable while it, its NIC link and its leaf switch are neither failed nor down/flapping.
/// A host is usable when all its GPUs are. Jobs are placed on whole hosts (a host is an NVLink domain, the
/// tensor-parallel group), evenly over their sites, lowest free host first.
/// </para>
/// <para>
/// Job model (per job, event time t): while running, progress P grows with the time it trains (a shrunk or split
/// job too: goodput is effective training time, as <see cref="Workloads.TrainingRun"/> counts it). Checkpoints are
/// taken asynchronously every τ of training, so the last one is C = ⌊P/τ⌋·τ (after a restart from C, the next is
/// τ of training later, as in TrainingRun). An interruption (a device of the placement becomes unusable, a spine or core switch of a
/// multi-leaf job's site fails, a DCI cut separates its sites, or a crash) loses P − C: P := C. Recovery is
/// detection D, then placement (spares swap unusable hosts for free usable ones of the same site; shrink drops
/// them; no spares or a cut DCI with onDciCut=stop → waiting until a repair), restart R, then restore: every
/// site the job trains at reads the whole checkpoint of S bytes from its own storage (<see cref="RestoreSource"/>:
/// the hot tier, or the capacity tier when no hot node is left; a degraded node serves half), capped by the job's
/// NICs there and shared max-min fairly with the other restores at that site (<see cref="FairShareSchedule"/>,
/// as the job registry shares it); the job trains again when the last site is done. Recovery duration = time
/// from the stop until training resumes. Goodput = P / (t − start). A failure during recovery counts as another interruption and restarts
/// detection.
/// </para>
/// </summary>
public sealed class SimulatedWorld(FactoryTopology? topology = null, SimulatedWorldOptions? options = null) : IScenarioWorld
{
    private readonly SimulatedWorldOptions _options = options ?? new SimulatedWorldOptions();
    private readonly Dictionary<string, Security.DpuFirewall> _firewalls = new(StringComparer.Ordinal);
    private Security.FlowEndpoints? _flowEndpoints;
    private readonly FactoryTopology? _fixedTopology = topology;
    private FactoryTopology _topology = null!;
    private FaultPlanner _planner = null!;
    private DateTimeOffset _start;
    private double _now;

    private DeviceHealth[] _health = [];
    private LinkState[] _state = [];
    private readonly Dictionary<int, List<Effect>> _effects = [];
    private readonly Dictionary<string, ActiveFault> _faults = new(StringComparer.Ordinal);
    private long _faultNumber;
    private long _events;
    private List<SiteSample>? _siteSamples;

    private SiteInfo[] _sites = [];
    private HostInfo[] _hosts = [];
    private int[] _hostOfDevice = [];
    private int[] _hostJob = [];
    private readonly Dictionary<int, List<int>> _hostsOfLeaf = [];
    private readonly Dictionary<int, List<int>> _gpusOfLeaf = [];
    private readonly Dictionary<int, int> _gpuOfLink = [];
    private int[] _siteTotals = [];
    private readonly Dictionary<(string Site, DeviceKind Kind), List<int>> _bySiteKind = [];
    private readonly List<Job> _jobs = [];
    private FairShareSchedule[] _restores = [];

    private readonly record struct Effect(long Fault, DeviceHealth Health, LinkState State);

    private sealed record ActiveFault(string Id, long Number, string Kind, IReadOnlyList<int> Devices);

    private sealed class SiteInfo(string name, int index)
    {
        public string Name => name;

        public int Index => index;

        public List<int> Hosts { get; } = [];

        public int GpusPerHost { get; set; }

        public double NicGbps { get; set; }

        public List<int> HotStorage { get; } = [];

        public List<int> CapacityStorage { get; } = [];
    }

    private sealed class HostInfo(int index, int site, string name)
    {
        public int Index => index;

        public int Site => site;

        public string Name => name;

        public List<int> Gpus { get; } = [];

        public List<int> NicLinks { get; } = [];

        public List<int> Leaves { get; } = [];

        /// <summary>The leaf each GPU's NIC link lands on, aligned with <see cref="Gpus"/> (-1 without a link).</summary>
        public List<int> LeafOf { get; } = [];

        public int Dpu { get; set; } = -1;
    }

    private enum Phase : byte
    {
        None,
        Detect,
        Restart,
        Restore,
    }

    private sealed class Job(int index, string id, TrainingJobSpec spec, int[] sites, double started)
    {
        public int Index => index;

        public string Id => id;

        public TrainingJobSpec Spec => spec;

        public int[] Sites => sites;

        public double Started => started;

        public List<int> Hosts { get; } = [];

        public HashSet<int> ActiveSites { get; } = [];

        public string State { get; set; } = JobStates.Pending;

        public bool EverRan { get; set; }

        public Phase Phase { get; set; }

        public double PhaseEnd { get; set; }

        /// <summary>Sites whose storage is reading the checkpoint back for this job now.</summary>
        public List<int> RestoringSites { get; } = [];

        public bool Planned { get; set; }

        public double Progress { get; set; }

        public double RunningTime { get; set; }

        public double Lost { get; set; }

        public int Interruptions { get; set; }

        public double StoppedAt { get; set; }

        public double LastInterruptAt { get; set; } = double.NaN;

        public string StopReason { get; set; } = "";

        public List<RecoveryRecord> Recoveries { get; } = [];
    }

    /// <inheritdoc />
    public Task Prepare(ScenarioSpec spec, DateTimeOffset start)
    {
        if (_fixedTopology is not null)
        {
            _topology = _fixedTopology;
        }
        else
        {
            var path = spec.TopologyPath ?? throw new InvalidOperationException($"scenario '{spec.Name}': topology '{spec.Topology}' was not resolved to a file");
            _topology = TopologyGenerator.Load(path);
        }
        Reset(start);
        return Task.CompletedTask;
    }

    private void Reset(DateTimeOffset start)
    {
        _start = start;
        _now = 0;
        _planner = new FaultPlanner(_topology);
        var devices = _topology.Devices;
        _health = new DeviceHealth[devices.Count];
        _state = new LinkState[devices.Count];
        _effects.Clear();
        _faults.Clear();
        _jobs.Clear();
        _hostsOfLeaf.Clear();
        _gpusOfLeaf.Clear();
        _gpuOfLink.Clear();
        _bySiteKind.Clear();
        _faultNumber = 0;
        _firewalls.Clear();
        _flowEndpoints = null;
        _events = 0;
        _siteSamples = null;

        _sites = _topology.Spec.Sites.Select((s, i) => new SiteInfo(s.Name, i) { GpusPerHost = s.GpusPerHost, NicGbps = s.NicGbps }).ToArray();
        var siteIndex = _sites.ToDictionary(s => s.Name, s => s.Index, StringComparer.Ordinal);
        var hosts = new List<HostInfo>();
        var hostByKey = new Dictionary<string, int>(StringComparer.Ordinal);
        _hostOfDevice = new int[devices.Count];
        Array.Fill(_hostOfDevice, -1);
        int HostOf(string site, string host)
        {
            var key = site + "/" + host;
            if (!hostByKey.TryGetValue(key, out var h))
            {
                h = hosts.Count;
                hosts.Add(new HostInfo(h, siteIndex[site], host));
                _sites[siteIndex[site]].Hosts.Add(h);
                hostByKey[key] = h;
            }
            return h;
        }
        foreach (var d in devices)
        {
            var key = (d.Kind == DeviceKind.Dci ? "dci" : d.Site, d.Kind);
            if (!_bySiteKind.TryGetValue(key, out var list))
            {
                _bySiteKind[key] = list = [];
            }
            list.Add(d.Ordinal);
            switch (d.Kind)
            {
                case DeviceKind.Gpu:
                    var gh = HostOf(d.Site, d.Host!);
                    hosts[gh].Gpus.Add(d.Ordinal);
                    hosts[gh].LeafOf.Add(-1);
                    _hostOfDevice[d.Ordinal] = gh;
                    break;
                case DeviceKind.Dpu:
                    var dh = HostOf(d.Site, d.Host!);
                    hosts[dh].Dpu = d.Ordinal;
                    _hostOfDevice[d.Ordinal] = dh;
                    break;
                case DeviceKind.Storage:
                    var site = _sites[siteIndex[d.Site]];
                    (d.StorageTier == StorageTier.Hot ? site.HotStorage : site.CapacityStorage).Add(d.Ordinal);
                    break;
            }
        }
        // NIC links and leaves need the GPU → host map, so they are a second pass.
        foreach (var d in devices)
        {
            if (d.LinkTier == LinkTier.GpuLeaf && _topology.Find(d.EndpointA!) is { Kind: DeviceKind.Gpu } gpu)
            {
                var h = _hostOfDevice[gpu.Ordinal];
                hosts[h].NicLinks.Add(d.Ordinal);
                _hostOfDevice[d.Ordinal] = h;
                var leaf = _topology.Find(d.EndpointB!)!.Ordinal;
                hosts[h].LeafOf[gpu.Index] = leaf;
                _gpuOfLink[d.Ordinal] = gpu.Ordinal;
                if (!_gpusOfLeaf.TryGetValue(leaf, out var gpusOnLeaf))
                {
                    _gpusOfLeaf[leaf] = gpusOnLeaf = [];
                }
                gpusOnLeaf.Add(gpu.Ordinal);
                if (!hosts[h].Leaves.Contains(leaf))
                {
                    hosts[h].Leaves.Add(leaf);
                    if (!_hostsOfLeaf.TryGetValue(leaf, out var served))
                    {
                        _hostsOfLeaf[leaf] = served = [];
                    }
                    served.Add(h);
                }
            }
        }
        _hosts = hosts.ToArray();
        _siteTotals = _sites.Select(site => site.Hosts.Sum(h => _hosts[h].Gpus.Count)).ToArray();
        _hostJob = new int[_hosts.Length];
        Array.Fill(_hostJob, -1);
        _restores = [.. _sites.Select(s => new FairShareSchedule(RestoreBandwidth(s.Index)))];
    }

    private DateTimeOffset Time(double seconds) => _start + TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));

    private double Seconds(DateTimeOffset at) => (at - _start).Ticks / (double)TimeSpan.TicksPerSecond;

    private void EnsurePrepared()
    {
        if (_planner is null)
        {
            throw new InvalidOperationException("call Prepare first");
        }
    }

    // ---------------------------------------------------------------- usability

    private bool Unusable(int ordinal) => Usability.Blocks(_health[ordinal], _state[ordinal]);

    // Loops rather than LINQ: these run for every GPU of a 16k-GPU job at each placement and sample.
    private bool GpuUsable(HostInfo host, int i) =>
        !Unusable(host.Gpus[i]) &&
        (i >= host.NicLinks.Count || !Unusable(host.NicLinks[i])) &&
        (host.LeafOf[i] < 0 || !Unusable(host.LeafOf[i]));

    private bool HostUsable(int h)
    {
        var host = _hosts[h];
        for (var i = 0; i < host.Gpus.Count; i++)
        {
            if (!GpuUsable(host, i))
            {
                return false;
            }
        }
        return true;
    }

    private bool Connected(int siteA, int siteB)
    {
        var (a, b) = (_sites[siteA].Name, _sites[siteB].Name);
        foreach (var o in _bySiteKind.GetValueOrDefault(("dci", DeviceKind.Dci)) ?? [])
        {
            var d = _topology.Devices[o];
            if ((d.EndpointA == a && d.EndpointB == b) || (d.EndpointA == b && d.EndpointB == a))
            {
                if (!Unusable(o))
                {
                    return true;
                }
            }
        }
        // No up link (or none at all) between the two sites: they are cut off from each other.
        return false;
    }

    /// <summary>Sites of a job reachable from its first site over up DCI links (its first site always).</summary>
    private HashSet<int> ReachableSites(Job job)
    {
        var reach = new HashSet<int> { job.Sites[0] };
        foreach (var s in job.Sites.Skip(1))
        {
            if (Connected(job.Sites[0], s))
            {
                reach.Add(s);
            }
        }
        return reach;
    }

    private double RestoreBandwidth(int site) => RestoreSource.PoolBytesPerSecond(
        _sites[site].HotStorage.Concat(_sites[site].CapacityStorage).Select(o => (_topology.Devices[o], _health[o])));

    // A storage node changed: restores in flight at its site go on at what the site offers from now on.
    private void StorageChanged(int site)
    {
        _restores[site].AdvanceTo(Time(_now));
        _restores[site].CapacityBytesPerSecond = RestoreBandwidth(site);
    }

    // ---------------------------------------------------------------- time

    /// <summary>Moves every job forward to <paramref name="to"/>, applying phase ends and restore completions in time order.</summary>
    private void Advance(double to)
    {
        if (to < _now)
        {
            throw new InvalidOperationException($"time went backwards: {Time(to):O} < {Time(_now):O}");
        }
        while (true)
        {
            var next = double.PositiveInfinity;
            foreach (var job in _jobs)
            {
                next = Math.Min(next, NextTransition(job));
            }
            if (next > to)
            {
                Integrate(to);
                return;
            }
            Integrate(next);
            foreach (var job in _jobs)
            {
                if (NextTransition(job) <= _now)
                {
                    Transition(job);
                }
            }
        }
    }

    private double NextTransition(Job job)
    {
        if (job.State != JobStates.Recovering)
        {
            return double.PositiveInfinity;
        }
        if (job.Phase != Phase.Restore)
        {
            return job.PhaseEnd;
        }
        // the job trains again once every site has read its copy of the checkpoint
        var end = _now;
        foreach (var site in job.RestoringSites)
        {
            if (_restores[site].Plan().TryGetValue(job.Id, out var burst))
            {
                end = Math.Max(end, burst.End == DateTimeOffset.MaxValue ? double.PositiveInfinity : Seconds(burst.End));
            }
        }
        return end;
    }

    private void Integrate(double to)
    {
        var dt = to - _now;
        if (dt > 0)
        {
            foreach (var job in _jobs)
            {
                if (job.State == JobStates.Running)
                {
                    // goodput counts time spent training (effective training time, as the live twin's TrainingRun
                    // counts it): a shrunk job trains slower, which its step time shows, but its time still counts
                    job.Progress += dt;
                    job.RunningTime += dt;
                }
            }
        }
        _now = to;
    }

    private void Transition(Job job)
    {
        switch (job.Phase)
        {
            case Phase.Detect:
                Place(job);
                break;
            case Phase.Restart:
                job.Phase = Phase.Restore;
                StartRestore(job);
                break;
            case Phase.Restore:
                Resume(job);
                break;
        }
    }

    // Every site the job trains at reads the whole checkpoint (each keeps a full copy) for its replicas, capped by
    // their NICs and shared max-min fairly with the other restores at that site: the rule the job registry applies.
    private void StartRestore(Job job)
    {
        var bytes = job.Spec.CheckpointSizeGB * 1e9;
        var gpusPerSite = Math.Max(1, job.Hosts.Sum(h => _hosts[h].Gpus.Count) / job.Sites.Length);
        foreach (var site in job.ActiveSites.Order())
        {
            _restores[site].AdvanceTo(Time(_now));
            _restores[site].Add(job.Id, Time(_now), bytes, gpusPerSite * _sites[site].NicGbps / 8 * 1e9);
            job.RestoringSites.Add(site);
        }
    }

    private void StopRestore(Job job)
    {
        foreach (var site in job.RestoringSites)
        {
            _restores[site].Stop(job.Id, Time(_now));
        }
        job.RestoringSites.Clear();
    }

    private void Resume(Job job)
    {
        StopRestore(job);
        if (!job.Planned)
        {
            job.Recoveries.Add(new RecoveryRecord(Time(job.StoppedAt), TimeSpan.FromSeconds(_now - job.StoppedAt), job.StopReason));
        }
        job.State = JobStates.Running;
        job.Phase = Phase.None;
        job.Planned = false;
        _events++;
    }

    /// <summary>Share of the full job that trains: GPUs at reachable sites, in whole data-parallel replicas.</summary>
    private double RateOf(Job job)
    {
        var replica = Math.Max(1, job.Spec.Tp * job.Spec.Pp);
        var gpus = job.Hosts.Where(h => job.ActiveSites.Contains(_hosts[h].Site)).Sum(h => _hosts[h].Gpus.Count);
        var replicas = Math.Min(job.Spec.Dp, gpus / replica);
        return Math.Clamp(replicas / (double)Math.Max(1, job.Spec.Dp), 0, 1);
    }

    // ---------------------------------------------------------------- placement

    private int[] HostsWanted(Job job)
    {
        var perSite = new int[job.Sites.Length];
        var gpus = job.Spec.Gpus;
        for (var i = 0; i < job.Sites.Length; i++)
        {
            var share = gpus / job.Sites.Length + (i < gpus % job.Sites.Length ? 1 : 0);
            var gph = Math.Max(1, _sites[job.Sites[i]].GpusPerHost);
            perSite[i] = (share + gph - 1) / gph;
        }
        return perSite;
    }

    /// <summary>
    /// After detection (or when a waiting job retries): decide which sites train, swap or drop unusable hosts,
    /// and either start the restart or wait. True when the job could go on.
    /// </summary>
    private bool Place(Job job)
    {
        var reachable = ReachableSites(job);
        if (reachable.Count < job.Sites.Length && job.Spec.OnDciCut != DciCutPolicy.Split)
        {
            Wait(job, "dci");
            return false;
        }
        var wanted = HostsWanted(job);
        var shrink = job.Spec.OnFailure == FailurePolicy.Shrink;
        for (var i = 0; i < job.Sites.Length; i++)
        {
            var site = job.Sites[i];
            var mine = job.Hosts.Where(h => _hosts[h].Site == site).ToList();
            var bad = mine.Where(h => !HostUsable(h)).ToList();
            foreach (var h in bad)
            {
                job.Hosts.Remove(h);
                _hostJob[h] = -1;
            }
            var missing = wanted[i] - (mine.Count - bad.Count);
            if (missing > 0 && (!shrink || !job.EverRan))
            {
                var spares = _sites[site].Hosts.Where(h => _hostJob[h] < 0 && HostUsable(h)).Take(missing).ToList();
                foreach (var h in spares)
                {
                    job.Hosts.Add(h);
                    _hostJob[h] = job.Index;
                }
                if (spares.Count < missing)
                {
                    Wait(job, "hosts");
                    return false;
                }
            }
        }
        job.ActiveSites.Clear();
        job.ActiveSites.UnionWith(reachable);
        if (RateOf(job) <= 0)
        {
            Wait(job, "hosts");
            return false;
        }
        if (!job.EverRan)
        {
            // A first start has nothing to restore.
            job.EverRan = true;
            job.State = JobStates.Running;
            job.Phase = Phase.None;
                _events++;
            return true;
        }
        job.State = JobStates.Recovering;
        job.Phase = Phase.Restart;
        job.PhaseEnd = _now + _options.Restart.TotalSeconds;
        return true;
    }

    private void Wait(Job job, string why)
    {
        if (job.State != JobStates.Waiting)
        {
            _events++;
        }
        job.State = JobStates.Waiting;
        job.Phase = Phase.None;
        job.StopReason = job.StopReason.Length == 0 ? why : job.StopReason;
    }

    private void RetryWaiting()
    {
        foreach (var job in _jobs)
        {
            if (job.State is JobStates.Waiting or JobStates.Pending)
            {
                Place(job);
            }
            else if (job.State == JobStates.Running && job.Sites.Length > 1 && job.ActiveSites.Count < job.Sites.Length &&
                ReachableSites(job).Count == job.Sites.Length)
            {
                // A split job rejoins once the DCI is back: a planned restart from a checkpoint taken now.
                job.State = JobStates.Recovering;
                job.Planned = true;
                job.Phase = Phase.Restart;
                job.PhaseEnd = _now + _options.Restart.TotalSeconds;
                job.StoppedAt = _now;
                job.ActiveSites.UnionWith(job.Sites);
                _events++;
            }
        }
    }

    // ---------------------------------------------------------------- interruptions

    private void Interrupt(Job job, string reason)
    {
        if (job.State == JobStates.Running)
        {
            var tau = job.Spec.CheckpointInterval.TotalSeconds;
            var checkpoint = Math.Floor(job.Progress / tau + 1e-9) * tau;
            var lost = Math.Max(0, job.Progress - checkpoint);
            job.Lost += lost;
            job.Progress -= lost;
            job.StoppedAt = _now;
            job.StopReason = reason;
        }
        else if (job.State == JobStates.Recovering)
        {
            if (job.LastInterruptAt == _now)
            {
                return;
            }
            if (job.Planned)
            {
                job.Planned = false;
                job.StoppedAt = _now;
                job.StopReason = reason;
            }
        }
        else
        {
            return;
        }
        StopRestore(job);
        job.Interruptions++;
        job.LastInterruptAt = _now;
        job.State = JobStates.Recovering;
        job.Phase = Phase.Detect;
        job.PhaseEnd = _now + _options.Detection.TotalSeconds;
        _events++;
    }

    /// <summary>Jobs a set of devices that just became unusable stops, by the rules in the class summary.</summary>
    private void InterruptAffected(IEnumerable<int> newlyUnusable, string reason)
    {
        var hit = new SortedSet<int>();
        var fabricSites = new HashSet<int>();
        var dciChanged = false;
        foreach (var o in newlyUnusable)
        {
            var d = _topology.Devices[o];
            switch (d.Kind)
            {
                case DeviceKind.Gpu or DeviceKind.Link when _hostOfDevice[o] >= 0:
                    if (_hostJob[_hostOfDevice[o]] is var j and >= 0)
                    {
                        hit.Add(j);
                    }
                    break;
                case DeviceKind.Switch when d.SwitchTier == SwitchTier.Leaf:
                    foreach (var h in _hostsOfLeaf.GetValueOrDefault(o) ?? [])
                    {
                        if (_hostJob[h] >= 0)
                        {
                            hit.Add(_hostJob[h]);
                        }
                    }
                    break;
                case DeviceKind.Switch when Usability.JoinsLeaves(d):
                    fabricSites.Add(Array.FindIndex(_sites, s => s.Name == d.Site));
                    break;
                case DeviceKind.Dci:
                    dciChanged = true;
                    break;
            }
        }
        foreach (var job in _jobs)
        {
            if (hit.Contains(job.Index))
            {
                Interrupt(job, reason);
                continue;
            }
            if (fabricSites.Any(site => Usability.SpineLossInterrupts(
                    job.Hosts.Where(h => _hosts[h].Site == site).SelectMany(h => _hosts[h].Leaves).Distinct().Count())))
            {
                Interrupt(job, reason);
                continue;
            }
            if (dciChanged && job.Sites.Length > 1 && job.State != JobStates.Waiting &&
                job.ActiveSites.Except(ReachableSites(job)).Any())
            {
                Interrupt(job, reason);
            }
        }
    }

    // ---------------------------------------------------------------- IScenarioWorld

    /// <inheritdoc />
    /// <inheritdoc />
    public Task ConfigureSecurity(ScenarioSecurity security, DateTimeOffset at)
    {
        EnsurePrepared();
        _flowEndpoints = new Security.FlowEndpoints(_topology, security.TenantOfMember());
        _firewalls.Clear();
        foreach (var policy in security.Policies)
        {
            _firewalls[policy.Dpu] = new Security.DpuFirewall(policy.Policy);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<(Security.FlowVerdict Verdict, Security.Flow Flow)> SendFlow(ScheduledFlow flow, int sourcePort, DateTimeOffset at)
    {
        EnsurePrepared();
        Advance(Seconds(at));
        var endpoints = _flowEndpoints ??= new Security.FlowEndpoints(_topology, new Dictionary<string, string>());
        var (sent, dpu, field, error) = endpoints.Resolve(flow.Source, flow.Destination, flow.Protocol, flow.Port, sourcePort, flow.Bytes, flow.Syn, at);
        if (sent is null)
        {
            throw new ArgumentException($"{field}: {error}");
        }
        var health = _health[_topology.Find(dpu!)!.Ordinal];
        var verdict = health.OutOfPool() ? new Security.FlowVerdict(false, $"DPU {health.Name()}: the host has no front-end network")
            : _firewalls.TryGetValue(dpu!, out var firewall) ? firewall.Decide(sent)
            : new Security.FlowVerdict(true, "no policy on this DPU: everything passes");
        return Task.FromResult((verdict, sent));
    }

    public Task<string> StartJob(TrainingJobSpec job, DateTimeOffset at)
    {
        EnsurePrepared();
        Advance(Seconds(at));
        var id = job.Name;
        for (var n = 2; _jobs.Any(j => j.Id == id); n++)
        {
            id = $"{job.Name}-{n}";
        }
        var sites = job.Sites.Count > 0
            ? job.Sites.Select(s => Array.FindIndex(_sites, x => x.Name == s)).ToArray()
            : [FirstSiteWithRoom(job)];
        if (sites.Any(s => s < 0))
        {
            throw new ArgumentException($"job '{job.Name}': no site named {string.Join(", ", job.Sites.Where(s => _sites.All(x => x.Name != s)))}");
        }
        var state = new Job(_jobs.Count, id, job, sites, _now);
        _jobs.Add(state);
        if (_options.Placements.TryGetValue(job.Name, out var pinned))
        {
            foreach (var host in pinned.Select(g => _topology.Find(g)).OfType<DeviceDescriptor>().Select(d => _hostOfDevice[d.Ordinal]).Where(h => h >= 0).Distinct())
            {
                if (_hostJob[host] < 0)
                {
                    state.Hosts.Add(host);
                    _hostJob[host] = state.Index;
                }
            }
        }
        Place(state);
        return Task.FromResult(id);
    }

    private int FirstSiteWithRoom(TrainingJobSpec job)
    {
        foreach (var site in _sites)
        {
            var free = site.Hosts.Count(h => _hostJob[h] < 0 && HostUsable(h)) * site.GpusPerHost;
            if (free >= job.Gpus)
            {
                return site.Index;
            }
        }
        return 0;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> Candidates(FaultTargetQuery query)
    {
        EnsurePrepared();
        IEnumerable<int> ordinals;
        if (query.JobId is not null)
        {
            var job = _jobs.FirstOrDefault(j => j.Id == query.JobId) ?? throw new ArgumentException($"no job '{query.JobId}'");
            var hostIds = job.Hosts.ToArray();
            Array.Sort(hostIds);
            var hosts = hostIds.Select(h => _hosts[h]).ToList();
            var siteNames = job.Sites.Select(s => _sites[s].Name).ToHashSet();
            ordinals = query.Kind switch
            {
                DeviceKind.Gpu => Flatten(hosts, h => h.Gpus),
                DeviceKind.Link => Flatten(hosts, h => h.NicLinks),
                DeviceKind.Switch => hosts.SelectMany(h => h.Leaves).Distinct().Order(),
                DeviceKind.Dpu => hosts.Where(h => h.Dpu >= 0).Select(h => h.Dpu),
                DeviceKind.Storage => job.Sites.SelectMany(s => _sites[s].HotStorage.Concat(_sites[s].CapacityStorage)),
                DeviceKind.Dci => (_bySiteKind.GetValueOrDefault(("dci", DeviceKind.Dci)) ?? []).Where(o =>
                    siteNames.Contains(_topology.Devices[o].EndpointA!) && siteNames.Contains(_topology.Devices[o].EndpointB!)),
                _ => [],
            };
        }
        else if (query.Kind == DeviceKind.Dci)
        {
            ordinals = (_bySiteKind.GetValueOrDefault(("dci", DeviceKind.Dci)) ?? []).Where(o =>
                query.Site is null || _topology.Devices[o].EndpointA == query.Site || _topology.Devices[o].EndpointB == query.Site);
        }
        else
        {
            ordinals = query.Site is not null
                ? _bySiteKind.GetValueOrDefault((query.Site, query.Kind)) ?? []
                : _sites.SelectMany(s => _bySiteKind.GetValueOrDefault((s.Name, query.Kind)) ?? []);
        }
        var result = new List<string>();
        var filtered = query.Site is not null || query.Tier is not null || query.Optics is not null;
        foreach (var o in ordinals.Order())
        {
            var d = _topology.Devices[o];
            if (!Usability.CanFail(_health[o]))
            {
                continue;
            }
            if (!filtered)
            {
                result.Add(d.Id);
                continue;
            }
            if ((query.Site is not null && d.Kind != DeviceKind.Dci && d.Site != query.Site) ||
                (query.Tier is not null && d.Tier != query.Tier) ||
                (query.Optics is not null && d.Optics != query.Optics))
            {
                continue;
            }
            result.Add(d.Id);
        }
        return Task.FromResult<IReadOnlyList<string>>(result);
    }

    // A plain loop: a 16k-GPU job's candidates are listed at every failure drawn for it.
    private static List<int> Flatten(List<HostInfo> hosts, Func<HostInfo, List<int>> devices)
    {
        var all = new List<int>(hosts.Count * 8);
        foreach (var h in hosts)
        {
            all.AddRange(devices(h));
        }
        return all;
    }

    /// <inheritdoc />
    public Task<string> InjectFault(FaultRequest fault, DateTimeOffset at)
    {
        EnsurePrepared();
        Advance(Seconds(at));
        var number = ++_faultNumber;
        var id = "fault-" + number.ToString("D5", CultureInfo.InvariantCulture);
        if (fault.Kind == FailureCauses.JobCrash)
        {
            CrashNow(fault.Target, "job-crash");
            _faults[id] = new ActiveFault(id, number, fault.Kind, []);
            return Task.FromResult(id);
        }
        var (plan, rejection) = _planner.Plan(fault with { Duration = null }, _options.Thresholds);
        if (plan is null)
        {
            throw new ArgumentException($"{rejection!.Field}: {rejection.Message}");
        }
        var devices = new List<int>(plan.Effects.Count);
        var newlyUnusable = new List<int>();
        foreach (var e in plan.Effects)
        {
            var o = _topology.Find(e.DeviceId)!.Ordinal;
            var was = Unusable(o);
            if (!_effects.TryGetValue(o, out var list))
            {
                _effects[o] = list = [];
            }
            list.Add(new Effect(number, e.Health, e.State ?? LinkState.Up));
            Recompute(o);
            devices.Add(o);
            if (!was && Unusable(o))
            {
                newlyUnusable.Add(o);
            }
        }
        _faults[id] = new ActiveFault(id, number, fault.Kind, devices);
        InterruptAffected(newlyUnusable, $"{fault.Kind} {fault.Target}");
        return Task.FromResult(id);
    }

    private void Recompute(int o)
    {
        var health = DeviceHealth.Healthy;
        var state = LinkState.Up;
        if (_effects.TryGetValue(o, out var list))
        {
            foreach (var e in list)
            {
                health = DeviceKinds.Worst(health, e.Health);
                state = LinkStates.Worst(state, e.State);
            }
            if (list.Count == 0)
            {
                _effects.Remove(o);
            }
        }
        if (health != _health[o] || state != _state[o])
        {
            _events++;
            _siteSamples = null;
        }
        var storageChanged = health != _health[o] && _topology.Devices[o].Kind == DeviceKind.Storage;
        _health[o] = health;
        _state[o] = state;
        if (storageChanged)
        {
            StorageChanged(Array.FindIndex(_sites, site => site.Name == _topology.Devices[o].Site));
        }
    }

    /// <inheritdoc />
    public Task RepairFault(string faultId, DateTimeOffset at)
    {
        EnsurePrepared();
        Advance(Seconds(at));
        if (!_faults.Remove(faultId, out var fault))
        {
            throw new ArgumentException($"no active fault '{faultId}'");
        }
        foreach (var o in fault.Devices)
        {
            if (_effects.TryGetValue(o, out var list))
            {
                list.RemoveAll(e => e.Fault == fault.Number);
            }
            Recompute(o);
        }
        RetryWaiting();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task CrashJob(string jobId, string reason, DateTimeOffset at)
    {
        EnsurePrepared();
        Advance(Seconds(at));
        CrashNow(jobId, reason);
        return Task.CompletedTask;
    }

    private void CrashNow(string jobId, string reason)
    {
        var job = _jobs.FirstOrDefault(j => j.Id == jobId) ?? throw new ArgumentException($"no job '{jobId}'");
        Interrupt(job, reason);
    }

    /// <inheritdoc />
    public Task<WorldSample> Sample(DateTimeOffset at)
    {
        EnsurePrepared();
        Advance(Seconds(at));
        // Site counts only change with device health; between faults a sample reuses the last count.
        var sites = _siteSamples ??= CountUsable();
        var jobs = _jobs.Select(j =>
        {
            var wall = _now - j.Started;
            return new JobSample(j.Id, j.Spec.Name, j.State, j.Spec.Gpus, j.Sites.Select(s => _sites[s].Name).ToList(),
                // Nothing has been lost before any time has passed: goodput starts at 1.
                wall > 0 ? j.Progress / wall : 1, j.Interruptions, TimeSpan.FromSeconds(j.Progress), TimeSpan.FromSeconds(wall),
                TimeSpan.FromSeconds(j.Lost), TimeSpan.FromSeconds(Math.Max(0, wall - j.RunningTime)), j.Recoveries.ToList());
        }).ToList();
        return Task.FromResult(new WorldSample(at, sites, jobs, _events, 0));
    }

    /// <summary>
    /// Usable GPUs per site = GPUs − those made unusable by a device under a fault (the GPU itself, its NIC
    /// link, its leaf). Only devices with active faults are visited, so a sample costs O(faulted devices).
    /// </summary>
    private List<SiteSample> CountUsable()
    {
        var unusable = new HashSet<int>();
        foreach (var o in _effects.Keys)
        {
            if (!Unusable(o))
            {
                continue;
            }
            if (_hostOfDevice[o] >= 0 && _topology.Devices[o].Kind == DeviceKind.Gpu)
            {
                unusable.Add(o);
            }
            else if (_gpuOfLink.TryGetValue(o, out var gpu))
            {
                unusable.Add(gpu);
            }
            else if (_gpusOfLeaf.TryGetValue(o, out var gpus))
            {
                unusable.UnionWith(gpus);
            }
        }
        var lost = new int[_sites.Length];
        foreach (var gpu in unusable)
        {
            lost[_hosts[_hostOfDevice[gpu]].Site]++;
        }
        return _sites.Select(site => new SiteSample(site.Name, _siteTotals[site.Index], _siteTotals[site.Index] - lost[site.Index])).ToList();
    }
}
