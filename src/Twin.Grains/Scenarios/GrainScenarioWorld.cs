using Twin.Contracts.Devices;
using Twin.Contracts.Events;
using Twin.Contracts.Faults;
using Twin.Contracts.Jobs;
using Twin.Contracts.Security;
using Twin.Contracts.Sites;
using Twin.Contracts.Streams;
using Twin.Model.Devices;
using Twin.Model.Fabric;
using Twin.Model.Faults;
using Twin.Model.Health;
using Twin.Model.Scenarios;
using Twin.Model.Security;
using Twin.Model.Topology;
using Twin.Model.Workloads;

namespace Twin.Grains.Scenarios;

/// <summary>
/// Runs a scenario on the twin's own grains: faults go through the fault registry with the scenario's event
/// times, jobs through the job registry, and samples come from the coordinators and job grains. Notices the
/// grains send each other one-way (a lost GPU, a cut DCI) are also delivered here directly, so a run is
/// deterministic: the job has heard of a fault before the clock moves on. The late one-way copy finds
/// nothing left to do.
/// </summary>
public sealed class GrainScenarioWorld(IGrainFactory grains, FactoryTopology topology, FaultPlanner planner, HealthThresholds thresholds)
    : IScenarioWorld
{
    private readonly Dictionary<string, TrainingJobSpec> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, InjectFault> _faults = new(StringComparer.Ordinal);
    // what each active fault did to devices, as the registry applied it (planned by the same FaultPlanner)
    private readonly Dictionary<string, IReadOnlyList<DeviceEffect>> _effectsBy = new(StringComparer.Ordinal);
    private FlowEndpoints? _flowEndpoints;

    private IFaultRegistryGrain Faults => grains.GetGrain<IFaultRegistryGrain>(TwinStreams.FactoryKey);

    private IJobRegistryGrain Jobs => grains.GetGrain<IJobRegistryGrain>(TwinStreams.FactoryKey);

    public Task Prepare(ScenarioSpec spec, DateTimeOffset start)
    {
        var wanted = spec.TopologyPath is { } path ? TopologyGenerator.Load(path) : null;
        if (wanted is not null && wanted.Devices.Count != topology.Devices.Count)
        {
            throw new InvalidOperationException(
                $"scenario {spec.Name} needs topology {spec.Topology} ({wanted.Devices.Count:N0} devices); this twin runs {topology.Spec.Name} ({topology.Devices.Count:N0})");
        }
        return grains.GetGrain<IFactoryGrain>(TwinStreams.FactoryKey).Start().AsTask();
    }

    public async Task ConfigureSecurity(ScenarioSecurity security, DateTimeOffset at)
    {
        var tenants = grains.GetGrain<ITenantRegistryGrain>(TwinStreams.FactoryKey);
        foreach (var (tenant, members) in security.Tenants)
        {
            await tenants.Set(tenant, [.. members]);
        }
        foreach (var policy in security.Policies)
        {
            await grains.GetGrain<IDpuGrain>(policy.Dpu).SetPolicy(DpuPolicyDefinition.From(policy.Policy));
        }
        _flowEndpoints = new FlowEndpoints(topology, security.TenantOfMember());
    }

    public async Task<(FlowVerdict Verdict, Flow Flow)> SendFlow(ScheduledFlow flow, int sourcePort, DateTimeOffset at)
    {
        var endpoints = _flowEndpoints ??= new FlowEndpoints(topology, new Dictionary<string, string>());
        var (sent, dpu, field, error) = endpoints.Resolve(flow.Source, flow.Destination, flow.Protocol, flow.Port, sourcePort, flow.Bytes, flow.Syn, at);
        if (sent is null)
        {
            throw new ArgumentException($"{field}: {error}");
        }
        var decision = await grains.GetGrain<IDpuGrain>(dpu!).Decide(new FlowSpec(
            sent.Protocol.ToString().ToLowerInvariant(), sent.Source.ToString(), sent.SourcePort, sent.Destination.ToString(), sent.DestinationPort,
            at, sent.Bytes, sent.SourceTenant, sent.DestinationTenant, sent.Syn, sent.LeavesSite, flow.Source, flow.Destination));
        return (new FlowVerdict(decision.Allowed, decision.Reason, decision.Rule, decision.ExfiltrationSuspected, decision.EgressBytesInWindow), sent);
    }

    public async Task<string> StartJob(TrainingJobSpec job, DateTimeOffset at)
    {
        var outcome = await Jobs.Submit(TrainingJobDefinition.From(job), at);
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException($"job {job.Name}: {outcome.Field}: {outcome.Error}");
        }
        _jobs[outcome.Job!.Id] = job;
        return outcome.Job.Id;
    }

    public async Task<IReadOnlyList<string>> Candidates(FaultTargetQuery query)
    {
        var failed = Failed();
        IEnumerable<DeviceDescriptor> devices;
        if (query.JobId is { } jobId)
        {
            var view = await grains.GetGrain<ITrainingJobGrain>(jobId).GetView(DateTimeOffset.MinValue);
            devices = JobDevices(view);
        }
        else
        {
            devices = topology.Devices;
        }
        return devices
            .Where(d => d.Kind == query.Kind && (query.Site is null || d.Site == query.Site) &&
                        (query.Tier is null || d.Tier == query.Tier) && (query.Optics is null || d.Optics == query.Optics) &&
                        !failed.Contains(d.Id))
            .DistinctBy(d => d.Ordinal)
            .OrderBy(d => d.Ordinal)
            .Select(d => d.Id)
            .ToList();
    }

    public async Task<string> InjectFault(FaultRequest fault, DateTimeOffset at)
    {
        var request = new InjectFault(fault.Kind, fault.Target, fault.Parameters, at, null, "scenario");
        var outcome = await Faults.Inject(request);
        if (!outcome.Succeeded)
        {
            throw new ArgumentException($"{fault.Kind} on {fault.Target}: {outcome.Field}: {outcome.Error}");
        }
        _faults[outcome.Fault!.Id] = request;
        _effectsBy[outcome.Fault.Id] = planner.Plan(fault with { Duration = null }, thresholds).Plan?.Effects ?? [];
        await Deliver(outcome.Fault, request, repaired: false, at);
        return outcome.Fault.Id;
    }

    public async Task RepairFault(string faultId, DateTimeOffset at)
    {
        var outcome = await Faults.Repair(faultId, at);
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException($"repair of {faultId}: {outcome.Error}");
        }
        _effectsBy.Remove(faultId);
        await Deliver(outcome.Fault!, _faults[faultId], repaired: true, at);
    }

    public Task CrashJob(string jobId, string reason, DateTimeOffset at) =>
        grains.GetGrain<ITrainingJobGrain>(jobId).Crash(reason, at);

    public async Task<WorldSample> Sample(DateTimeOffset at)
    {
        var sites = await SettledSites();
        var jobs = await Task.WhenAll(_jobs.Keys.Select(id => grains.GetGrain<ITrainingJobGrain>(id).GetView(at)));
        var log = await grains.GetGrain<IEventLogGrain>(TwinStreams.FactoryKey).Read(long.MaxValue - 1, 0, EventFilter.All);
        return new WorldSample(
            at,
            sites.Select(s => new SiteSample(s.Name, s.Gpus.Total, s.UsableGpus)).ToList(),
            jobs.Select(Sample).ToList(),
            log.Last,
            0);
    }

    private static JobSample Sample(JobView v)
    {
        var recoveries = new List<RecoveryRecord>();
        DateTimeOffset? down = null;
        string reason = "";
        foreach (var e in v.Timeline)
        {
            switch (e.Kind)
            {
                case "interrupted" or "stopped" when down is null:
                    (down, reason) = (e.Time, e.Detail);
                    break;
                case "resumed" when down is { } since:
                    recoveries.Add(new RecoveryRecord(since, e.Time - since, reason));
                    down = null;
                    break;
            }
        }
        var state = v.State switch
        {
            "running" => JobStates.Running,
            "recovering" => JobStates.Recovering,
            _ => JobStates.Waiting,
        };
        return new JobSample(v.Id, v.Name, state, v.Gpus, v.Sites, v.Goodput, v.Interruptions,
            TimeSpan.FromSeconds(v.UsefulSeconds), v.AsOf - v.SubmittedAt, TimeSpan.FromSeconds(v.LostSeconds),
            TimeSpan.FromSeconds(v.DownSeconds), recoveries);
    }

    // What a job stands on: its GPUs, their NIC links and leaves, its hosts' DPUs, its sites' storage, the DCI between them.
    private IEnumerable<DeviceDescriptor> JobDevices(JobView job)
    {
        foreach (var gpu in job.Placement)
        {
            var d = topology.Find(gpu)!;
            yield return d;
            foreach (var link in planner.LinksOf(gpu))
            {
                yield return link;
                if (topology.Find(link.EndpointB!) is { } leaf)
                {
                    yield return leaf;
                }
            }
            if (topology.Find($"{d.Site}/dpu/{d.Host}") is { } dpu)
            {
                yield return dpu;
            }
        }
        foreach (var d in topology.Devices.Where(d =>
                     (d.Kind == DeviceKind.Storage && job.Sites.Contains(d.Site)) ||
                     (d.Kind == DeviceKind.Dci && job.Sites.Contains(d.EndpointA!) && job.Sites.Contains(d.EndpointB!))))
        {
            yield return d;
        }
    }

    // What is failed now, from the faults this run injected and has not repaired: the registry applied them to the
    // devices before answering, while the coordinators' view follows a stream and may lag, which would make a seeded
    // draw depend on timing. The scenario twin runs without synthetic telemetry, so faults are all that fails devices.
    private HashSet<string> Failed() =>
        _effectsBy.Values.SelectMany(effects => effects).Where(e => e.Health == DeviceHealth.Failed).Select(e => e.DeviceId).ToHashSet(StringComparer.Ordinal);

    // The coordinators hear of device changes over a stream, a moment behind the devices. A sample waits (a few
    // seconds at most) until each site's count of usable GPUs is what the faults applied make it by the one
    // usability rule, so a sample does not depend on how far delivery got; past that it takes what they say.
    private async Task<SiteSummary[]> SettledSites()
    {
        var expected = ExpectedUsable();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            var sites = await Task.WhenAll(topology.SiteNames.Select(s => grains.GetGrain<ISiteCoordinatorGrain>(s).GetSummary().AsTask()));
            if (sites.All(s => s.UsableGpus == expected.GetValueOrDefault(s.Name, s.Gpus.Total)) || DateTime.UtcNow > deadline)
            {
                return sites;
            }
            await Task.Delay(10);
        }
    }

    private Dictionary<string, int> ExpectedUsable()
    {
        // a device under several faults takes the worst health and the worst link state of them
        var devices = new Dictionary<string, (DeviceHealth Health, LinkState State)>(StringComparer.Ordinal);
        foreach (var e in _effectsBy.Values.SelectMany(effects => effects))
        {
            var (health, state) = devices.GetValueOrDefault(e.DeviceId, (DeviceHealth.Healthy, LinkState.Up));
            devices[e.DeviceId] = (DeviceKinds.Worst(health, e.Health), LinkStates.Worst(state, e.State ?? LinkState.Up));
        }
        var cut = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, (health, state)) in devices)
        {
            if (Usability.Blocks(health, state))
            {
                cut.UnionWith(topology.Paths.GpusBehind(id));
            }
        }
        return topology.SiteNames.ToDictionary(s => s, s => topology.Count(s, DeviceKind.Gpu) - cut.Count(g => g.StartsWith(s + "/", StringComparison.Ordinal)));
    }

    // The direct delivery that makes runs deterministic (see the class summary).
    private async Task Deliver(FaultView fault, InjectFault request, bool repaired, DateTimeOffset at)
    {
        var affected = fault.Affected.Select(topology.Find).OfType<DeviceDescriptor>().ToList();
        // the same cascade the registry applied: GPUs out of the pool, or cut off by a NIC link down or flapping
        var effects = planner.Plan(new FaultRequest(request.Kind, request.Target, request.Parameters), thresholds).Plan?.Effects ?? [];
        var blocking = effects.Where(e => Usability.Blocks(e.Health, e.State ?? LinkState.Up))
            .Select(e => topology.Find(e.DeviceId)).OfType<DeviceDescriptor>().ToList();
        var gpus = blocking.Where(Usability.OnGpuPath).SelectMany(d => topology.Paths.GpusBehind(d.Id)).Distinct(StringComparer.Ordinal).ToArray();
        var spine = blocking.FirstOrDefault(Usability.JoinsLeaves);
        foreach (var id in _jobs.Keys)
        {
            var job = grains.GetGrain<ITrainingJobGrain>(id);
            if (gpus.Length > 0)
            {
                await (repaired ? job.DevicesRestored(gpus, at) : job.DevicesLost(gpus, $"{fault.Kind} on {fault.Target}", at));
            }
            if (!repaired && spine is not null)
            {
                var placement = (await job.GetView(at)).Placement.Where(g => g.StartsWith(spine.Site + "/", StringComparison.Ordinal));
                if (Usability.SpineLossInterrupts(topology.Paths.LeavesUnder(placement)))
                {
                    await job.Crash($"{spine.Id} down", at);
                }
            }
        }
        // one-way notices are queued ahead of this call: the job has taken them in before the clock moves on
        await Task.WhenAll(_jobs.Keys.Select(id => grains.GetGrain<ITrainingJobGrain>(id).GetView(at)));
        // a DCI change: the jobs spanning the pair read what the links offer now
        var pairs = affected.Where(d => d.Kind == DeviceKind.Dci).Select(d => (A: d.EndpointA!, B: d.EndpointB!)).Distinct().ToList();
        foreach (var (id, job) in _jobs.Where(j => pairs.Any(p => j.Value.Sites.Contains(p.A) && j.Value.Sites.Contains(p.B))))
        {
            await grains.GetGrain<ITrainingJobGrain>(id).DciChanged(at);
        }
        if (pairs.Count > 0)
        {
            await Task.WhenAll(_jobs.Keys.Select(id => grains.GetGrain<ITrainingJobGrain>(id).GetView(at)));
        }
    }
}
