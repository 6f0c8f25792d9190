using Twin.Contracts.Jobs;
using Twin.Contracts.Traffic;
using Twin.Model.Storage;

namespace Twin.Grains.Jobs;

/// <summary>
/// Who reads each site's storage, and at what rate: checkpoint restores (bursts) and running jobs' data
/// loaders (steady flows up to their demand), shared by max-min fairness on one <see cref="FairShareSchedule"/>
/// per site. A job's loaders stop when it is interrupted and start again when its restore ends. Owned by the
/// job registry, which reads the storage nodes and does the messaging; this class only plans.
/// </summary>
public sealed class StorageShares
{
    private const string IngestPrefix = "ingest:";

    private readonly Dictionary<string, FairShareSchedule> _schedules = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Job, string Site), RestoreDemand> _restores = [];
    private readonly Dictionary<string, DateTimeOffset> _restoreStarts = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Job, string Site), SharedBurst> _shownBursts = [];
    private readonly Dictionary<string, Loaders> _loaders = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Job, string Site), DateTimeOffset> _shownFlows = [];
    private readonly Dictionary<string, IngestSupply[]> _supplySent = new(StringComparer.Ordinal);
    private Dictionary<string, DateTimeOffset> _endsBefore = new(StringComparer.Ordinal);
    private bool _begun;
    private readonly List<TrafficEvent> _traffic = [];
    private long _version;

    /// <summary>Sites whose schedule an operation will touch need their capacity first: see <see cref="Prepare"/>.</summary>
    public IEnumerable<string> SitesOf(string job) =>
        _restores.Keys.Where(k => k.Job == job).Select(k => k.Site)
            .Concat(_loaders.TryGetValue(job, out var l) ? l.Demands.Select(d => d.Site) : [])
            .Distinct(StringComparer.Ordinal);

    /// <summary>Moves a site's schedule to the present and sizes it to what its storage offers now (bytes/s).</summary>
    public void Prepare(string site, double capacityBytesPerSecond, DateTimeOffset now)
    {
        if (!_schedules.TryGetValue(site, out var schedule))
        {
            _schedules[site] = schedule = new FairShareSchedule(capacityBytesPerSecond);
        }
        schedule.AdvanceTo(now);
        schedule.CapacityBytesPerSecond = capacityBytesPerSecond;
    }

    /// <summary>A job starts restoring at <paramref name="start"/> (it failed at <paramref name="now"/>): its loaders stop until the restore ends.</summary>
    public void Restore(string job, RestoreDemand[] demands, DateTimeOffset start, DateTimeOffset now)
    {
        Begin();
        Halt(job, now);
        foreach (var demand in demands)
        {
            _schedules[demand.Site].Add(job, start, demand.Bytes, demand.CapBytesPerSecond);
            _restores[(job, demand.Site)] = demand;
        }
        _restoreStarts[job] = start;
        if (_loaders.TryGetValue(job, out var loaders))
        {
            loaders.State = LoaderState.AfterRestore;
        }
    }

    /// <summary>The job's loaders ask this much from <paramref name="from"/> on (or, while it recovers, from its restore's end).</summary>
    public void SetIngest(string job, IngestDemand[] demands, DateTimeOffset from)
    {
        Begin();
        var loaders = _loaders.GetValueOrDefault(job);
        if (demands.All(d => d.BytesPerSecond <= 0))
        {
            if (loaders is not null)
            {
                StopFlows(job, loaders, from);
                _loaders.Remove(job);
            }
            return;
        }
        if (loaders is null)
        {
            _loaders[job] = loaders = new Loaders { State = LoaderState.Running };
        }
        switch (loaders.State)
        {
            case LoaderState.Running:
                StopFlows(job, loaders, from);
                loaders.Demands = demands;
                StartFlows(job, loaders, from);
                break;
            case LoaderState.AfterRestore when loaders.From is { } planned:
                StopFlows(job, loaders, null);
                loaders.Demands = demands;
                StartFlows(job, loaders, planned);
                break;
            default:
                loaders.Demands = demands;
                break;
        }
    }

    /// <summary>The job stopped (waits for hardware) or was cancelled: its restore and its reads end at <paramref name="at"/>.</summary>
    public void Stop(string job, DateTimeOffset at, bool forget)
    {
        Begin();
        Halt(job, at);
        if (_loaders.TryGetValue(job, out var loaders))
        {
            loaders.State = LoaderState.Halted;
            if (forget)
            {
                _loaders.Remove(job);
                _supplySent.Remove(job);
            }
        }
    }

    /// <summary>
    /// Settles the plan after an operation: loaders start when their job's restore ends, and the result says
    /// what to publish and whom to tell. <paramref name="caller"/> hears its restore end as the answer, not as a notice.
    /// </summary>
    public StorageOutcome Settle(string? caller)
    {
        // a loader starting at the end of its job's restore may push other restores back, and with them the
        // starts of their loaders: a few passes reach the fixed point
        for (var pass = 0; pass < 8; pass++)
        {
            var ends = RestoreEnds();
            var moved = false;
            foreach (var (job, loaders) in _loaders.Where(l => l.Value.State == LoaderState.AfterRestore))
            {
                if (!ends.TryGetValue(job, out var end))
                {
                    loaders.State = LoaderState.Running; // its restore is over (forgotten by the schedule)
                    continue;
                }
                if (loaders.From != end)
                {
                    StopFlows(job, loaders, null);
                    StartFlows(job, loaders, end);
                    moved = true;
                }
            }
            if (!moved)
            {
                break;
            }
        }
        var after = RestoreEnds();
        var rescheduled = after
            .Where(e => e.Key != caller && _endsBefore.TryGetValue(e.Key, out var was) && was != e.Value && _restoreStarts.ContainsKey(e.Key))
            .Select(e => new RestoreNotice(e.Key, _restoreStarts[e.Key], e.Value))
            .ToList();
        PublishBursts();
        foreach (var key in _restores.Keys.Where(k => !after.ContainsKey(k.Job)).ToList())
        {
            _restores.Remove(key);
            _shownBursts.Remove(key);
            _restoreStarts.Remove(key.Job);
        }
        var supply = new List<SupplyNotice>();
        foreach (var (job, loaders) in _loaders)
        {
            var steps = Supply(job, loaders);
            if (!_supplySent.TryGetValue(job, out var sent) || !sent.SequenceEqual(steps))
            {
                _supplySent[job] = steps;
                supply.Add(new SupplyNotice(job, ++_version, steps));
            }
        }
        var traffic = _traffic.ToList();
        _traffic.Clear();
        _begun = false;
        return new StorageOutcome(after, rescheduled, supply, traffic);
    }

    // Restore ends as they stood before an operation, to tell whose moved when it settles.
    private void Begin()
    {
        if (!_begun)
        {
            _endsBefore = RestoreEnds();
            _begun = true;
            // loaders waiting for a restore the schedules have since finished are running
            foreach (var loaders in _loaders.Where(l => l.Value.State == LoaderState.AfterRestore && !_endsBefore.ContainsKey(l.Key)))
            {
                loaders.Value.State = LoaderState.Running;
            }
        }
    }

    // Ends the job's restore and stops its loaders at `at`; the traffic shown for both ends there.
    private void Halt(string job, DateTimeOffset at)
    {
        foreach (var schedule in _schedules.Values)
        {
            schedule.Stop(job, at);
        }
        foreach (var key in _shownBursts.Keys.Where(k => k.Job == job).ToList())
        {
            var burst = _shownBursts[key];
            if (burst.End > at && at > burst.Start)
            {
                var read = burst.AverageBytesPerSecond * (at - burst.Start).TotalSeconds;
                _traffic.Add(RestoreTraffic(job, _restores[key] with { Bytes = read }, new SharedBurst(burst.Start, at, burst.AverageBytesPerSecond), 0));
            }
            _shownBursts.Remove(key);
            _restores.Remove(key);
        }
        _restoreStarts.Remove(job);
        if (_loaders.TryGetValue(job, out var loaders))
        {
            StopFlows(job, loaders, at);
        }
    }

    private void StartFlows(string job, Loaders loaders, DateTimeOffset from)
    {
        foreach (var demand in loaders.Demands.Where(d => d.BytesPerSecond > 0))
        {
            _schedules[demand.Site].Add(IngestPrefix + job, from, double.PositiveInfinity, demand.BytesPerSecond);
            _shownFlows[(job, demand.Site)] = from;
            _traffic.Add(IngestTraffic(job, demand, from, DateTimeOffset.MaxValue));
        }
        loaders.From = from;
    }

    // Stops the job's loaders at `at`; null: they never started (a planned start that moved).
    private void StopFlows(string job, Loaders loaders, DateTimeOffset? at)
    {
        foreach (var demand in loaders.Demands)
        {
            if (_schedules.TryGetValue(demand.Site, out var schedule))
            {
                // a planned start that moved never ran; one the present has passed stops now
                var stopAt = at ?? (schedule.Now is { } now && loaders.From < now ? now : null);
                if (stopAt is { } t)
                {
                    schedule.Stop(IngestPrefix + job, t);
                }
                else
                {
                    schedule.Remove(IngestPrefix + job);
                }
            }
            if (_shownFlows.Remove((job, demand.Site), out var shownFrom))
            {
                var end = at is { } t && t > shownFrom ? t : shownFrom;
                _traffic.Add(IngestTraffic(job, demand, shownFrom, end));
            }
        }
        loaders.From = null;
    }

    // When each job's restore ends: the last of its sites' bursts (loaders are not restores).
    private Dictionary<string, DateTimeOffset> RestoreEnds() =>
        _schedules.Values.SelectMany(s => s.Plan())
            .Where(p => !p.Key.StartsWith(IngestPrefix, StringComparison.Ordinal))
            .GroupBy(p => p.Key, p => p.Value.End, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(), StringComparer.Ordinal);

    private void PublishBursts()
    {
        foreach (var (site, schedule) in _schedules)
        {
            var plan = schedule.Plan().Where(p => !p.Key.StartsWith(IngestPrefix, StringComparison.Ordinal)).ToList();
            foreach (var (job, burst) in plan)
            {
                if (_shownBursts.GetValueOrDefault((job, site)) != burst && _restores.TryGetValue((job, site), out var demand))
                {
                    _shownBursts[(job, site)] = burst;
                    var overlapping = plan.Count(o => o.Key != job && o.Value.Start < burst.End && burst.Start < o.Value.End);
                    _traffic.Add(RestoreTraffic(job, demand, burst, overlapping));
                }
            }
        }
    }

    // The share of its demand a job's loaders get from now on: the least over its sites, step by step.
    private IngestSupply[] Supply(string job, Loaders loaders)
    {
        var perSite = loaders.Demands.Where(d => d.BytesPerSecond > 0 && _schedules.ContainsKey(d.Site))
            .Select(d => (Demand: d.BytesPerSecond, Steps: _schedules[d.Site].Rates(IngestPrefix + job)))
            .Where(s => s.Steps.Count > 0)
            .ToList();
        var times = perSite.SelectMany(s => s.Steps.Select(r => r.From)).Distinct().Order().ToList();
        var result = new List<IngestSupply>();
        foreach (var t in times)
        {
            var share = perSite.Min(s => (s.Steps.LastOrDefault(r => r.From <= t)?.BytesPerSecond ?? 0) / s.Demand);
            share = Math.Min(1, share);
            if (result.Count == 0 || Math.Abs(result[^1].Share - share) > 1e-9)
            {
                result.Add(new IngestSupply(t, share));
            }
        }
        return [.. result];
    }

    private static TrafficEvent RestoreTraffic(string job, RestoreDemand demand, SharedBurst burst, int sharedWith)
    {
        var gbps = burst.AverageBytesPerSecond / 1e9;
        var sharing = sharedWith > 0 ? $", sharing {demand.Site}'s storage with {sharedWith} other reader(s)" : "";
        return new TrafficEvent(
            $"{job}:restore:{burst.Start.UtcTicks}:{demand.Site}", demand.Site, "checkpoint-restore", job,
            burst.Start, burst.End, gbps, 0, gbps * 8, demand.Bytes,
            $"{demand.JobName}: checkpoint restore of {demand.Bytes / 1e9:N0} GB at {gbps:N1} GB/s for {burst.Duration.TotalSeconds:0.#} s{sharing}");
    }

    private static TrafficEvent IngestTraffic(string job, IngestDemand demand, DateTimeOffset from, DateTimeOffset until)
    {
        var gbps = demand.BytesPerSecond / 1e9;
        return new TrafficEvent(
            $"{job}:ingest:{from.UtcTicks}:{demand.Site}", demand.Site, "ingest", job, from, until, gbps, 0, gbps * 8, 0,
            $"{job}: data loaders read the dataset at up to {gbps:N2} GB/s");
    }

    private enum LoaderState : byte
    {
        Running,
        AfterRestore,
        Halted,
    }

    private sealed class Loaders
    {
        public IngestDemand[] Demands { get; set; } = [];

        public LoaderState State { get; set; }

        public DateTimeOffset? From { get; set; }
    }
}

/// <summary>A job whose restore (started at <see cref="Start"/>) now ends at <see cref="End"/>.</summary>
public sealed record RestoreNotice(string Job, DateTimeOffset Start, DateTimeOffset End);

/// <summary>A job's new dataset-read supply, numbered so a late notice cannot undo a newer one.</summary>
public sealed record SupplyNotice(string Job, long Version, IngestSupply[] Supply);

/// <summary>What an operation on <see cref="StorageShares"/> leads to: restore ends, notices and traffic to publish.</summary>
public sealed record StorageOutcome(
    IReadOnlyDictionary<string, DateTimeOffset> RestoreEnds,
    IReadOnlyList<RestoreNotice> Rescheduled,
    IReadOnlyList<SupplyNotice> Supply,
    IReadOnlyList<TrafficEvent> Traffic);
