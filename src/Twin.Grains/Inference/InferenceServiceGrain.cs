using Twin.Contracts.Events;
using Twin.Contracts.Inference;
using Twin.Contracts.Jobs;
using Twin.Contracts.Streams;
using Twin.Grains.Sites;
using Twin.Model.Inference;
using Twin.Model.Topology;
using Twin.Model.Workloads;

namespace Twin.Grains.Inference;

/// <summary>
/// An inference service in event time. A lost GPU takes its replica down; the replica moves to spare GPUs and is
/// back once restarted and reloaded (a minute plus the weights over the replica's NICs), or waits for its GPUs when
/// there are none. Capacity, utilisation and latency follow the replicas up and the site's storage (the NVMe KV
/// tier); the moments the SLA breaks or holds again are events.
/// </summary>
public sealed class InferenceServiceGrain(FactoryTopology topology) : Grain, IInferenceServiceGrain
{
    public static readonly TimeSpan RestartTime = TimeSpan.FromMinutes(1);

    private InferenceServiceDefinition _definition = null!;
    private InferenceServiceSpec _spec = null!;
    private GpuSpecs.Spec _gpu = null!;
    private double _nicBytesPerSecond;
    private string[][] _replicas = [];
    // per replica: null while serving, else when it serves again (MaxValue: waiting for its GPUs)
    private DateTimeOffset?[] _backAt = [];
    // per replica waiting for its own GPUs (no spares): the ones still out
    private HashSet<string>?[] _missing = [];
    private readonly List<JobTimelineEntry> _timeline = [];
    private double _storageShare = 1;
    private readonly ShareNotices _storageNotices = new();
    // when each GPU was last reported restored: a failure notice older than that arrived late and is stale
    private readonly Dictionary<string, DateTimeOffset> _restoredAt = new(StringComparer.Ordinal);
    private bool _slaMet = true;
    private DateTimeOffset _now;
    private bool _stopped;

    private IJobRegistryGrain Registry => GrainFactory.GetGrain<IJobRegistryGrain>(TwinStreams.FactoryKey);

    public async Task<InferenceView> Start(InferenceServiceDefinition definition, string[][] replicas, DateTimeOffset at)
    {
        _definition = definition;
        _spec = definition.ToSpec();
        var site = topology.Spec.Sites.First(s => s.Name == _spec.Site);
        _gpu = GpuSpecs.For(site.GpuModel);
        _nicBytesPerSecond = site.NicGbps / 8 * 1e9;
        _replicas = replicas;
        _backAt = new DateTimeOffset?[replicas.Length];
        _missing = new HashSet<string>?[replicas.Length];
        _now = at;
        var estimate = Estimate();
        _slaMet = estimate.SlaMet;
        await Record(at, "inference-started",
            $"{_spec.Name}: {replicas.Length} × {_spec.GpusPerReplica} GPUs in {_spec.Site}, {estimate.CapacityRequestsPerSecond:N1} req/s of capacity for {_spec.RequestsPerSecond:N1}");
        if (!estimate.SlaMet)
        {
            await Record(at, "inference-sla-breached", $"{_spec.Name}: {estimate.Breach}");
        }
        return View(at, estimate);
    }

    public async Task<InferenceView> GetView(DateTimeOffset at)
    {
        await AdvanceTo(at);
        return View(at > _now ? at : _now, Estimate());
    }

    public async Task DevicesLost(string[] gpus, string reason, DateTimeOffset at)
    {
        gpus = [.. gpus.Where(g => !(_restoredAt.TryGetValue(g, out var back) && back > at))];
        if (_stopped || _replicas.Length == 0 || gpus.Length == 0)
        {
            return;
        }
        await AdvanceTo(at);
        for (var i = 0; i < _replicas.Length; i++)
        {
            if (_backAt[i] == DateTimeOffset.MaxValue || !_replicas[i].Intersect(gpus).Any())
            {
                continue;
            }
            var spares = await Registry.Replace(this.GetPrimaryKeyString(), _replicas[i], at);
            if (spares.Length == _replicas[i].Length)
            {
                _replicas[i] = spares;
                _backAt[i] = at + ReloadTime;
                await Record(at, "inference-replica-lost", $"{_spec.Name}: replica {i} lost ({reason}); moved to spare GPUs, serving again at {_backAt[i]:HH:mm:ss}");
            }
            else
            {
                _backAt[i] = DateTimeOffset.MaxValue;
                _missing[i] = [.. _replicas[i].Intersect(gpus)];
                await Record(at, "inference-replica-lost", $"{_spec.Name}: replica {i} lost ({reason}); no spare GPUs, it waits for its own");
            }
        }
        await Reevaluate(at);
    }

    public async Task DevicesRestored(string[] gpus, DateTimeOffset at)
    {
        if (_stopped)
        {
            return;
        }
        foreach (var gpu in gpus.Where(g => _replicas.Any(r => r.Contains(g))))
        {
            _restoredAt[gpu] = _restoredAt.TryGetValue(gpu, out var back) && back > at ? back : at;
        }
        await AdvanceTo(at);
        for (var i = 0; i < _replicas.Length; i++)
        {
            // a waiting replica restarts once all of its lost GPUs are back
            if (_missing[i] is { } missing && missing.RemoveWhere(gpus.Contains) > 0 && missing.Count == 0)
            {
                _missing[i] = null;
                _backAt[i] = at + ReloadTime;
                await Record(at, "inference-replica-restarting", $"{_spec.Name}: replica {i}'s GPUs are back; serving again at {_backAt[i]:HH:mm:ss}");
            }
        }
        await Reevaluate(at);
    }

    public async Task StorageChanged(double share, DateTimeOffset at, long sequence)
    {
        if (_stopped || _replicas.Length == 0 || !_storageNotices.Take(_spec.Site, at, sequence))
        {
            return;
        }
        await AdvanceTo(at);
        _storageShare = share;
        await Reevaluate(at);
    }

    public async Task<InferenceView> Stop(DateTimeOffset at)
    {
        await AdvanceTo(at);
        _stopped = true;
        await Registry.Release(this.GetPrimaryKeyString());
        await Record(at, "inference-stopped", $"{_spec.Name} stopped");
        return View(at, Estimate());
    }

    // Restart plus loading the weights, each GPU its shard over its own NIC.
    private TimeSpan ReloadTime => RestartTime + TimeSpan.FromSeconds(_spec.WeightBytes / (_spec.GpusPerReplica * _nicBytesPerSecond));

    private int HealthyReplicas => _stopped ? 0 : _backAt.Count(b => b is null);

    private InferenceEstimate Estimate() => InferenceModel.Estimate(_spec, HealthyReplicas, _gpu, _storageShare);

    // Replicas that came back by `at` serve from the moment they did: the SLA is judged at each of those moments.
    private async Task AdvanceTo(DateTimeOffset at)
    {
        while (true)
        {
            var next = _backAt.Where(b => b is { } t && t != DateTimeOffset.MaxValue && t <= at).Min();
            if (next is not { } t)
            {
                break;
            }
            for (var i = 0; i < _backAt.Length; i++)
            {
                if (_backAt[i] == t)
                {
                    _backAt[i] = null;
                }
            }
            await Reevaluate(t);
        }
        if (at > _now)
        {
            _now = at;
        }
    }

    private async Task Reevaluate(DateTimeOffset at)
    {
        if (at > _now)
        {
            _now = at;
        }
        var estimate = Estimate();
        if (estimate.SlaMet != _slaMet)
        {
            _slaMet = estimate.SlaMet;
            await (estimate.SlaMet
                ? Record(at, "inference-sla-restored", $"{_spec.Name}: within SLA again, {estimate.HealthyReplicas} of {_replicas.Length} replicas, TTFT {estimate.TtftMs:N0} ms, TPOT {estimate.TpotMs:N1} ms")
                : Record(at, "inference-sla-breached", $"{_spec.Name}: {estimate.Breach} ({estimate.HealthyReplicas} of {_replicas.Length} replicas serving)"));
        }
    }

    private async Task Record(DateTimeOffset at, string kind, string summary)
    {
        _timeline.Add(new JobTimelineEntry(at, kind, summary));
        await GrainFactory.GetGrain<IEventLogGrain>(TwinStreams.FactoryKey).Append([new TwinEvent
        {
            Id = $"{this.GetPrimaryKeyString()}:{kind}:{at.UtcTicks}:{_timeline.Count}",
            Time = at,
            Kind = kind,
            Site = _spec.Site,
            Summary = summary,
        }]);
    }

    private InferenceView View(DateTimeOffset at, InferenceEstimate e) => new()
    {
        Id = this.GetPrimaryKeyString(),
        Name = _spec.Name,
        Site = _spec.Site,
        State = _stopped ? "stopped" : e.SlaMet ? "serving" : "breached",
        Replicas = _replicas.Length,
        HealthyReplicas = e.HealthyReplicas,
        GpusPerReplica = _spec.GpusPerReplica,
        Placement = _replicas,
        RequestsPerSecond = _spec.RequestsPerSecond,
        CapacityRequestsPerSecond = e.CapacityRequestsPerSecond,
        Utilization = double.IsFinite(e.Utilization) ? e.Utilization : null,
        TtftMs = double.IsFinite(e.TtftMs) ? e.TtftMs : null,
        TpotMs = e.TpotMs,
        PrefillMs = e.PrefillMs,
        KvFetchMs = e.KvFetchMs,
        Batch = e.Batch,
        TtftSlaMs = _spec.TtftSlaMs,
        TpotSlaMs = _spec.TpotSlaMs,
        SlaMet = e.SlaMet,
        Breach = e.Breach,
        StorageShare = _storageShare,
        AsOf = at,
        Timeline = [.. _timeline],
        Precision = _spec.EffectivePrecision.Name(),
        BatchOneTtftMs = e.BatchOneTtftMs,
        BatchOneTpotMs = e.BatchOneTpotMs,
        SaturatedTokensPerSecond = e.SaturatedTokensPerSecond,
        SaturatedTpotMs = e.SaturatedTpotMs,
    };
}
