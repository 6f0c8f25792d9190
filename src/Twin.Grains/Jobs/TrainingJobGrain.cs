using Microsoft.Extensions.Options;
using Orleans.Streams;
using Twin.Contracts.Events;
using Twin.Contracts.Jobs;
using Twin.Contracts.Streams;
using Twin.Contracts.Traffic;
using Twin.Grains.Sites;
using Twin.Model.Fabric;
using Twin.Model.Reliability;
using Twin.Model.Storage;
using Twin.Model.Topology;
using Twin.Model.Workloads;

namespace Twin.Grains.Jobs;

/// <summary>
/// A training job advanced in event time. Lost GPUs interrupt it (lose the work since the last checkpoint,
/// detect, restart onto spares or fewer DP replicas, read the checkpoint back — a burst published on the
/// sites' traffic streams); slower fabric or DCI stretch its steps; a DCI cut stops or splits it.
/// </summary>
public sealed class TrainingJobGrain(FactoryTopology topology, IOptions<JobOptions> options, TimeProvider time) : Grain, ITrainingJobGrain
{
    private TrainingJobDefinition _definition = null!;
    private TrainingJobSpec _spec = null!;
    private List<string> _placement = [];
    // when each GPU joined the placement, or was last reported restored: a failure notice from before that is
    // stale (the coordinators hear of failures over a stream and may lag, the registry checked the GPU itself when
    // it chose it, and one-way notices can arrive out of order: a late one must not take a GPU that is back)
    private readonly Dictionary<string, DateTimeOffset> _joined = new(StringComparer.Ordinal);
    private JobContext _context = null!;
    private TrainingRun? _run;
    private StepEstimate _step = null!;
    private DateTimeOffset _submitted;
    private readonly Dictionary<string, double> _fabricShare = new(StringComparer.Ordinal);
    private readonly ShareNotices _fabricNotices = new();
    private bool _split;
    // placement GPUs that are out while the job waits for them (no spares, no replica left to drop)
    private readonly HashSet<string> _down = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastInterruption;
    // recent instants the job was interrupted at: a one-way notice of the same incident may arrive after later ones
    private readonly Queue<DateTimeOffset> _recentInterruptions = new();
    private const int RecentInterruptionsKept = 64;
    private DateTimeOffset? _restoreStart;
    // what share of its dataset reads storage serves, and the changes planned ahead (event time)
    private List<IngestSupply> _supply = [];
    private long _supplyVersion;
    private double _share = 1;
    private DateTimeOffset _writesShownUntil;

    private IJobRegistryGrain Registry => GrainFactory.GetGrain<IJobRegistryGrain>(TwinStreams.FactoryKey);

    public async Task<JobView> Start(TrainingJobDefinition definition, string[] placement, JobContext context, DateTimeOffset at)
    {
        _definition = definition;
        _spec = definition.ToSpec();
        _placement = [.. placement];
        foreach (var gpu in placement)
        {
            _joined[gpu] = at;
        }
        _context = context;
        _submitted = at;
        _step = Estimate();
        _run = new TrainingRun(at, _spec.CheckpointInterval, _step.StepSeconds);
        // checkpoint writes go out as the clock passes them, not when someone happens to look at the job
        this.RegisterGrainTimer(static (job, _) => job.PublishDueWrites(), this,
            new GrainTimerCreationOptions { DueTime = _spec.CheckpointInterval, Period = _spec.CheckpointInterval });
        await Log(at, "job-started", $"{_spec.Name}: {_spec.Gpus} GPUs on {string.Join("+", Sites)}, step {_step.StepSeconds * 1000:0} ms");
        return View(Run, _share, at);
    }

    public Task<JobView> GetView(DateTimeOffset at)
    {
        // a read: the job is projected to `at` on a copy, so looking neither moves its clock (a late notice still
        // lands at its own time) nor publishes anything
        var projected = Run.Copy();
        var share = _share;
        foreach (var next in _supply.TakeWhile(s => s.From <= at))
        {
            share = next.Share;
            projected.ChangeStepTime(next.From, DatasetReads.StepSeconds(_step.StepSeconds, share), $"storage serves {share:P0} of its dataset reads");
        }
        projected.AdvanceTo(at);
        return Task.FromResult(View(projected, share, at > projected.Now ? at : projected.Now));
    }

    public Task<TrainingJobDefinition> GetDefinition() => Task.FromResult(TrainingJobDefinition.From(_spec));

    public async Task DevicesLost(string[] gpus, string reason, DateTimeOffset at)
    {
        CatchUp(at);
        var lost = gpus.Where(g => _joined.TryGetValue(g, out var joined) && at >= joined).ToArray();
        if (_run is null || lost.Length == 0 || Run.State == RunState.Cancelled)
        {
            return;
        }
        // the job leaves the whole host (its TP group is broken) and restarts on a spare host; the host's
        // healthy GPUs go back to the pool, so a repaired host can serve as a spare again
        var hosts = lost.Select(HostOf).ToHashSet(StringComparer.Ordinal);
        var evacuate = _placement.Where(g => hosts.Contains(HostOf(g))).ToArray();
        var replacements = _spec.OnFailure == FailurePolicy.Spares ? await Registry.Replace(this.GetPrimaryKeyString(), evacuate, at) : [];
        if (replacements.Length == evacuate.Length)
        {
            _placement = [.. _placement.Except(evacuate).Concat(replacements)];
            foreach (var gpu in evacuate)
            {
                _joined.Remove(gpu);
            }
            foreach (var gpu in replacements)
            {
                _joined[gpu] = at;
            }
        }
        else
        {
            // shrink: leave the broken hosts and go on with the whole DP replicas the rest still holds
            var replicaSize = _spec.Tp * _spec.Pp;
            var replicasLeft = (_placement.Count - evacuate.Length) / replicaSize;
            if (_spec.OnFailure != FailurePolicy.Shrink || replicasLeft < 1)
            {
                // spares wanted but none free (or nothing left to shrink to): wait for the lost GPUs to come back
                _down.UnionWith(lost);
                Run.Stop(at, $"{reason}: no spare hosts; waiting for its GPUs");
                await Registry.StopRestore(this.GetPrimaryKeyString(), at);
                Interrupted(at);
                await Log(at, "job-stopped", $"{_spec.Name} stopped: {reason}; no spare hosts");
                return;
            }
            var kept = _placement.Except(evacuate).Take(replicasLeft * replicaSize).ToList();
            var released = _placement.Except(kept).ToArray();
            await Registry.Release(this.GetPrimaryKeyString(), released);
            _placement = kept;
            foreach (var gpu in released)
            {
                _joined.Remove(gpu);
            }
            _spec = _spec with { Dp = replicasLeft, Gpus = replicasLeft * replicaSize };
        }
        await Recover(at, $"{reason} ({lost.Length} GPU(s) lost)");
    }

    public async Task DevicesRestored(string[] gpus, DateTimeOffset at)
    {
        CatchUp(at);
        foreach (var gpu in gpus)
        {
            if (_joined.TryGetValue(gpu, out var since) && since < at)
            {
                _joined[gpu] = at;
            }
        }
        if (_run is null || _down.Count == 0)
        {
            return;
        }
        _down.ExceptWith(gpus);
        var dciUp = Sites.Count == 1 || _context.DciAvailableGbps > 0;
        if (_down.Count == 0 && Run.State == RunState.Stopped && dciUp)
        {
            var restore = await RestoreBurst(at + options.Value.RestartTime, at);
            Run.Restart(at, "its GPUs are back", options.Value.RestartTime, restore);
            await Log(at, "job-restarting", $"{_spec.Name} restarting: its GPUs are back, restore {restore.TotalSeconds:0.#} s");
        }
    }

    public Task Interrupted(string reason, DateTimeOffset at) => Crash(reason, at);

    public async Task Crash(string reason, DateTimeOffset at)
    {
        CatchUp(at);
        // a device fault that already interrupted the job at this instant is the same failure; a job that is
        // stopped waiting for its hardware has nothing running to crash
        var sameInstant = _recentInterruptions.Contains(at);
        if (_run is not null && Run.State is RunState.Running or RunState.Recovering && !sameInstant)
        {
            await Recover(at, reason);
        }
    }

    public async Task FabricChanged(string site, double share, DateTimeOffset at, long sequence)
    {
        CatchUp(at);
        if (_run is null || !_fabricNotices.Take(site, at, sequence))
        {
            return;
        }
        _fabricShare[site] = share;
        await Reestimate(at, $"scale-out bandwidth of {site} at {share:P0}");
    }

    public async Task DciChanged(DateTimeOffset at)
    {
        CatchUp(at);
        if (_run is null || Run.State == RunState.Cancelled)
        {
            return;
        }
        // notices about the two links of a pair may arrive in either order: act on what the links say now
        var truth = await Registry.Dci([.. Sites]);
        var (availableGbps, lossRate, latencyMs) = (truth.AvailableGbps, truth.LossRate, truth.LatencyMs);
        var wasCut = _context.DciAvailableGbps <= 0;
        // latency enters the model as the fibre length that would cause it (5 µs per km)
        var distance = latencyMs > 0 ? latencyMs * 1000 / FibrePropagation.MicrosecondsPerKm : _context.DciDistanceKm;
        _context = _context with { DciAvailableGbps = availableGbps, DciLossRate = lossRate, DciDistanceKm = distance };
        if (availableGbps <= 0 && !wasCut)
        {
            if (_spec.OnDciCut == DciCutPolicy.Split)
            {
                _split = true;
                await Reestimate(at, "DCI cut: sites train apart");
            }
            else
            {
                Run.Stop(at, "DCI cut between its sites");
                await Registry.StopRestore(this.GetPrimaryKeyString(), at);
                Interrupted(at);
                await Log(at, "job-stopped", $"{_spec.Name} stopped: DCI cut between {string.Join(" and ", Sites)}");
            }
            return;
        }
        if (availableGbps > 0 && wasCut)
        {
            _split = false;
            _step = Estimate();
            Run.ChangeStepTime(at, PacedStep, "DCI restored");
            if (Run.State == RunState.Stopped)
            {
                var restore = await RestoreBurst(at + options.Value.DetectionTime + options.Value.RestartTime, at);
                Run.Restart(at, "DCI restored", options.Value.RestartTime, restore);
                await Log(at, "job-restarting", $"{_spec.Name} restarting: DCI restored, restore {restore.TotalSeconds:0.#} s");
            }
            return;
        }
        await Reestimate(at, $"DCI at {availableGbps:N0} Gb/s, {latencyMs:0.##} ms, {lossRate:P2} loss");
    }

    public Task RestoreRescheduled(DateTimeOffset restoreStart, DateTimeOffset end)
    {
        if (_run is not null && _restoreStart == restoreStart)
        {
            Run.RescheduleResume(end, "storage shared with other restores");
        }
        return Task.CompletedTask;
    }

    public Task IngestSupplyChanged(long version, IngestSupply[] supply)
    {
        if (_run is not null && version > _supplyVersion)
        {
            _supplyVersion = version;
            _supply = [.. supply.OrderBy(s => s.From)];
            CatchUp(Run.Now);
        }
        return Task.CompletedTask;
    }

    public async Task<JobView> Cancel(DateTimeOffset at)
    {
        CatchUp(at);
        Run.Cancel(at);
        await PublishWrites();
        await Registry.Release(this.GetPrimaryKeyString());
        await Registry.StopRestore(this.GetPrimaryKeyString(), at);
        await Log(at, "job-cancelled", $"{_spec.Name} cancelled");
        return View(Run, _share, at);
    }

    private async Task PublishDueWrites()
    {
        var now = time.GetUtcNow();
        if (_run is null || Run.State == RunState.Cancelled || now <= Run.Now)
        {
            return;
        }
        CatchUp(now);
        Run.AdvanceTo(now);
        await PublishWrites();
    }

    private void Interrupted(DateTimeOffset at)
    {
        _lastInterruption = at;
        _recentInterruptions.Enqueue(at);
        if (_recentInterruptions.Count > RecentInterruptionsKept)
        {
            _recentInterruptions.Dequeue();
        }
    }

    // Step time as the data loaders allow it: computing and communicating, or waiting for the step's data.
    private double PacedStep => DatasetReads.StepSeconds(_step.StepSeconds, _share);

    // Applies the supply changes planned up to t, each at its own time.
    private void CatchUp(DateTimeOffset t)
    {
        while (_run is not null && _supply.Count > 0 && _supply[0].From <= t)
        {
            var next = _supply[0];
            _supply.RemoveAt(0);
            if (Math.Abs(next.Share - _share) > 1e-9)
            {
                _share = next.Share;
                Run.ChangeStepTime(next.From, PacedStep, $"storage serves {next.Share:P0} of its dataset reads");
            }
        }
    }

    // The checkpoints taken since the last look, as write bursts on each site's storage (asynchronous: training
    // goes on while the shards drain, so they cost bandwidth, not step time). Each site keeps a full copy, so either
    // can restore alone. A job looked at after a long silence shows its last few writes, not every one.
    private async Task PublishWrites()
    {
        var fresh = Run.RecentCheckpoints.Where(t => t > _writesShownUntil).ToList();
        if (fresh.Count == 0)
        {
            return;
        }
        _writesShownUntil = fresh[^1];
        var bytes = _spec.CheckpointSizeGB * 1e9;
        var nics = Math.Max(1, _spec.Gpus / Sites.Count) * _context.NicGbps / 8 * 1e9;
        var burst = CheckpointTraffic.Write(bytes, Math.Max(1e-3, _context.StorageWriteGBps) * 1e9, nics);
        var gbps = burst.BytesPerSecond / 1e9;
        foreach (var site in Sites)
        {
            var stream = this.GetStreamProvider(TwinStreams.Provider).GetStream<TrafficEvent>(StreamId.Create(TwinStreams.Traffic, site));
            foreach (var t in fresh)
            {
                await stream.OnNextAsync(new TrafficEvent(
                    $"{this.GetPrimaryKeyString()}:write:{t.UtcTicks}:{site}", site, "checkpoint-write", this.GetPrimaryKeyString(),
                    t, t + burst.Duration, 0, gbps, gbps * 8, bytes,
                    $"{_spec.Name}: checkpoint write of {_spec.CheckpointSizeGB:N0} GB at {gbps:N1} GB/s for {burst.Duration.TotalSeconds:0.#} s ({burst.Bottleneck.ToString().ToLowerInvariant()}-bound)"));
            }
        }
    }

    // What the data loaders ask of each site while the job runs at its current step.
    private Task TellLoaders(DateTimeOffset at)
    {
        if (_spec.DatasetBytesPerToken <= 0)
        {
            return Task.CompletedTask;
        }
        var perSite = DatasetReads.DemandBytesPerSecond(_spec, _step.StepSeconds) / Sites.Count;
        return Registry.SetIngest(this.GetPrimaryKeyString(), [.. Sites.Select(s => new IngestDemand(s, perSite))], at);
    }

    private static string HostOf(string gpu) => gpu[..gpu.LastIndexOf('-')];

    private TrainingRun Run => _run ?? throw new InvalidOperationException($"job {this.GetPrimaryKeyString()} was never started");

    private IReadOnlyList<string> Sites => _spec.Sites.Count > 0 ? _spec.Sites : [topology.SiteNames.First()];

    private StepEstimate Estimate()
    {
        var env = _context.Environment(_split ? 1 : Sites.Count) with
        {
            ComputeEfficiency = options.Value.ComputeEfficiency,
            FabricShare = _fabricShare.Count == 0 ? _context.FabricShare : _fabricShare.Values.Min(),
        };
        var spec = _split ? _spec with { Dp = Math.Max(1, _spec.Dp / Sites.Count), Gpus = _spec.Gpus / Sites.Count } : _spec;
        return StepTimeEstimator.Estimate(spec, env);
    }

    private async Task Reestimate(DateTimeOffset at, string reason)
    {
        var before = _step.StepSeconds;
        _step = Estimate();
        Run.ChangeStepTime(at, PacedStep, reason);
        if (Math.Abs(before - _step.StepSeconds) > 1e-9)
        {
            await Log(at, "job-step-time", $"{_spec.Name}: {reason}; step {before * 1000:0} → {_step.StepSeconds * 1000:0} ms");
            await TellLoaders(at);
        }
    }

    private async Task Recover(DateTimeOffset at, string reason)
    {
        if (_lastInterruption == at && Run.State == RunState.Recovering)
        {
            return; // the same incident, already being recovered from (placement was updated by the caller)
        }
        var o = options.Value;
        var restoreStart = at + o.DetectionTime + o.RestartTime;
        _context = await Registry.Context([.. Sites], Sites[0]) with
        {
            DciAvailableGbps = _context.DciAvailableGbps,
            DciLossRate = _context.DciLossRate,
        };
        _step = Estimate();
        var restore = await RestoreBurst(restoreStart, at);
        Run.Interrupt(at, reason, o.DetectionTime + o.RestartTime, restore);
        Interrupted(at);
        Run.ChangeStepTime(at, PacedStep, "rescheduled");
        await TellLoaders(at); // a shrunk job reads less; the registry starts its loaders when the restore ends
        await PublishWrites(); // the checkpoints it took before the failure
        await Log(at, "job-interrupted", $"{_spec.Name} interrupted: {reason}; back at {Run.ResumeAt:HH:mm:ss} after restore of {restore.TotalSeconds:0.#} s");
    }

    // Every site reads the whole checkpoint for its DP replicas at once, limited by its GPUs' NICs and by the
    // site's storage, which the registry shares out among the restores in flight.
    private async Task<TimeSpan> RestoreBurst(DateTimeOffset start, DateTimeOffset now)
    {
        var bytes = _spec.CheckpointSizeGB * 1e9;
        var perSiteGpus = Math.Max(1, _spec.Gpus / Sites.Count);
        var nics = perSiteGpus * _context.NicGbps / 8 * 1e9;
        var end = await Registry.ScheduleRestore(this.GetPrimaryKeyString(),
            [.. Sites.Select(site => new RestoreDemand(site, bytes, nics, _spec.Name))], start, now);
        _restoreStart = start;
        return end - start;
    }

    private Task Log(DateTimeOffset at, string kind, string summary) =>
        GrainFactory.GetGrain<IEventLogGrain>(TwinStreams.FactoryKey).Append([new TwinEvent
        {
            Id = $"{this.GetPrimaryKeyString()}:{kind}:{at.UtcTicks}",
            Time = at,
            Kind = kind,
            Site = Sites[0],
            Summary = summary,
        }]).AsTask();

    private JobView View(TrainingRun r, double share, DateTimeOffset at)
    {
        var paced = DatasetReads.StepSeconds(_step.StepSeconds, share);
        var writeSeconds = _spec.CheckpointSizeGB / Math.Max(1e-3, _context.StorageWriteGBps);
        var mtbfHours = 1 / (options.Value.FailuresPerGpuHour * Math.Max(1, _spec.Gpus));
        var recommended = YoungDaly.OptimalInterval(TimeSpan.FromSeconds(writeSeconds), TimeSpan.FromHours(mtbfHours));
        return new JobView
        {
            Id = this.GetPrimaryKeyString(),
            Name = _spec.Name,
            Kind = "training",
            State = r.State.ToString().ToLowerInvariant(),
            Sites = Sites,
            Gpus = _spec.Gpus,
            Parallelism = new Parallelism(_spec.Tp, _spec.Pp, _spec.Dp),
            Placement = _placement,
            StepTimeMs = paced * 1000,
            FlatRingStepTimeMs = _step.FlatRingStepSeconds * 1000,
            ComputeMs = _step.ComputeSeconds * 1000,
            ExposedCommMs = _step.ExposedCommSeconds * 1000,
            CrossSiteCommMs = _step.CrossSiteCommSeconds * 1000,
            TokensPerSecond = r.State == RunState.Running ? _step.TokensPerSecond * _step.StepSeconds / paced : 0,
            Mfu = _step.Mfu,
            Steps = r.Steps,
            Goodput = r.Goodput,
            UsefulSeconds = r.Useful.TotalSeconds,
            LostSeconds = r.Lost.TotalSeconds,
            DownSeconds = r.Down.TotalSeconds,
            RestartSeconds = r.RestartTime.TotalSeconds,
            RestoreSeconds = r.RestoreTime.TotalSeconds,
            Interruptions = r.Interruptions,
            Checkpoints = r.Checkpoints,
            SubmittedAt = _submitted,
            AsOf = at,
            LastCheckpoint = r.LastCheckpoint,
            ResumeAt = r.ResumeAt,
            RecommendedCheckpointMinutes = recommended.TotalMinutes,
            CheckpointIntervalMinutes = _spec.CheckpointInterval.TotalMinutes,
            Timeline = r.Timeline.Select(e => new JobTimelineEntry(e.Time, e.Kind, e.Detail)).ToList(),
            DatasetReadGBps = DatasetReads.DemandBytesPerSecond(_spec, _step.StepSeconds) / 1e9,
            DatasetSupply = share,
        };
    }
}
