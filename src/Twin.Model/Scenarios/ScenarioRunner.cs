using System.Diagnostics;
using System.Globalization;
using Twin.Model.Devices;
using Twin.Model.Faults;
using Twin.Model.Time;

namespace Twin.Model.Scenarios;

/// <summary>How a run is paced and watched.</summary>
public sealed record ScenarioRunOptions
{
    /// <summary>
    /// Virtual seconds per wall second: 3600 runs one virtual hour per second, 1 is real time. Null or 0 runs
    /// as fast as the world answers.
    /// </summary>
    public double? Speed { get; init; }

    /// <summary>Told after every sample: how far the run is.</summary>
    public IProgress<ScenarioProgress>? Progress { get; init; }
}

/// <summary>How far a run is, in virtual time, with running totals.</summary>
public sealed record ScenarioProgress(TimeSpan Elapsed, TimeSpan Duration, int Interruptions, int FaultsInjected, int ActiveFaults)
{
    public double Fraction => Duration > TimeSpan.Zero ? Math.Clamp(Elapsed / Duration, 0, 1) : 1;
}

/// <summary>
/// Runs a <see cref="ScenarioSpec"/> against an <see cref="IScenarioWorld"/> on a virtual clock: a priority queue
/// of timed actions (job starts, scheduled faults, failures drawn from Poisson processes, repairs, samples)
/// executed in event-time order, as fast as possible or paced by <see cref="ScenarioRunOptions.Speed"/>. Every
/// random draw comes from generators seeded by the spec, so a spec and seed give one report.
/// <para>
/// A random process of rate λ per GPU-hour over G GPUs fails after exponential gaps of mean 1/(λ·G) hours; each
/// failure draws its cause by weight, its target uniformly among the world's candidates, and its repair time
/// from the spec's repair policy. A failure drawn for a job is, by the profile's definition, an interruption of
/// that job: after injecting the device fault the runner also crashes the job, which the world ignores when the
/// device fault already stopped it at that instant.
/// </para>
/// </summary>
public sealed class ScenarioRunner(IScenarioWorld world, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    private enum Order : byte
    {
        StartJob,
        Repair,
        Fault,
        Flow,
        Sample,
    }

    private abstract record Step;

    private sealed record StartJobStep(int Job) : Step;

    private sealed record ScheduledStep(int Fault) : Step;

    private sealed record RandomStep(int Process) : Step;

    private sealed record RepairStep(int Entry) : Step;

    private sealed record SampleStep(int Index) : Step;

    private sealed record FlowStep(int Flow, int Occurrence) : Step;

    /// <summary>A timeline entry while the run fills it in.</summary>
    private sealed class TimelineEntry
    {
        public double At { get; init; }

        public required string Kind { get; init; }

        public required string Target { get; init; }

        public required string Source { get; init; }

        public string? Cause { get; init; }

        public string? FaultId { get; set; }

        public double? RepairedAt { get; set; }

        public string? Error { get; set; }

        public FaultTimelineEntry ToResult() => new(At, Kind, Target, Source, Cause, FaultId, RepairedAt, Error);
    }

    /// <summary>Runs the scenario to its end and evaluates its expectations.</summary>
    public async Task<ScenarioReport> RunAsync(ScenarioSpec spec, ScenarioRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ScenarioRunOptions();
        var run = new Run(world, spec, options, _time, cancellationToken);
        return await run.Execute().ConfigureAwait(false);
    }

    private sealed class Run(IScenarioWorld world, ScenarioSpec spec, ScenarioRunOptions options, TimeProvider time, CancellationToken ct)
    {
        private readonly PriorityQueue<Step, (long Ticks, Order Order, long Seq)> _queue = new();
        private long _seq;
        private long _actions;
        private readonly DateTimeOffset _start = spec.Start;
        private readonly Dictionary<string, string> _jobIds = new(StringComparer.Ordinal);
        private readonly Dictionary<string, IReadOnlyList<string>> _named = new(StringComparer.Ordinal);
        private readonly List<TimelineEntry> _timeline = [];
        private readonly List<string> _errors = [];
        private readonly Random[] _processRandom = spec.Failures.Select((_, i) => new Random(Mix(spec.Seed, 101 + i))).ToArray();
        private readonly Random _pickRandom = new(Mix(spec.Seed, 1));
        private readonly Random _repairRandom = new(Mix(spec.Seed, 2));
        private readonly double[] _processGpus = new double[spec.Failures.Count];
        private readonly List<WorldSample> _samples = [];
        private readonly Dictionary<string, int> _siteGpus = new(StringComparer.Ordinal);
        private int _flows;
        private int _allowed;
        private int _blocked;
        private int _crossTenantAllowed;
        private int _exfiltrationDetected;
        // when each source first sent traffic that counts towards exfiltration (off-site or to another tenant)
        private readonly Dictionary<string, TimeSpan> _firstEgress = new(StringComparer.Ordinal);
        private double? _detectionDelay;
        private int _injected;
        private int _active;

        // Seeds for independent streams: adding a scheduled fault must not shift the random failures.
        private static int Mix(int seed, int stream) => unchecked((int)((uint)seed * 2654435761u ^ (uint)stream * 40503u));

        private void Enqueue(TimeSpan offset, Order order, Step step) =>
            _queue.Enqueue(step, (offset.Ticks, order, _seq++));

        private double Offset(DateTimeOffset at) => (at - _start).TotalSeconds;

        public async Task<ScenarioReport> Execute()
        {
            var wallStart = time.GetTimestamp();
            await world.Prepare(spec, _start).ConfigureAwait(false);
            var initial = await world.Sample(_start).ConfigureAwait(false);
            foreach (var s in initial.Sites)
            {
                _siteGpus[s.Site] = s.TotalGpus;
            }

            for (var i = 0; i < spec.Workloads.Count; i++)
            {
                Enqueue(spec.Workloads[i].At, Order.StartJob, new StartJobStep(i));
            }
            for (var i = 0; i < spec.Faults.Count; i++)
            {
                Enqueue(spec.Faults[i].At, Order.Fault, new ScheduledStep(i));
            }
            for (var i = 0; i < spec.Failures.Count; i++)
            {
                var p = spec.Failures[i];
                var job = p.Job is null ? null : spec.Workloads.FirstOrDefault(w => w.Job.Name == p.Job);
                _processGpus[i] = job?.Job.Gpus ?? _siteGpus.GetValueOrDefault(p.Site ?? "");
                ScheduleNextFailure(i, job?.At ?? TimeSpan.Zero);
            }
            for (var k = 0; k <= spec.Samples; k++)
            {
                Enqueue(spec.Duration * k / spec.Samples, Order.Sample, new SampleStep(k));
            }
            if (spec.Security.Policies.Count > 0 || spec.Security.Tenants.Count > 0 || spec.Security.Flows.Count > 0)
            {
                await world.ConfigureSecurity(spec.Security, _start).ConfigureAwait(false);
            }
            for (var i = 0; i < spec.Security.Flows.Count; i++)
            {
                var f = spec.Security.Flows[i];
                for (var n = 0; n < f.Count; n++)
                {
                    Enqueue(f.At + f.Every * n, Order.Flow, new FlowStep(i, n));
                }
            }

            while (_queue.TryDequeue(out var step, out var key))
            {
                ct.ThrowIfCancellationRequested();
                var offset = TimeSpan.FromTicks(key.Ticks);
                if (offset > spec.Duration)
                {
                    break;
                }
                await Pace(offset, wallStart).ConfigureAwait(false);
                var at = _start + offset;
                _actions++;
                switch (step)
                {
                    case StartJobStep s:
                        await StartJob(s.Job, at).ConfigureAwait(false);
                        break;
                    case ScheduledStep s:
                        await Scheduled(spec.Faults[s.Fault], at).ConfigureAwait(false);
                        break;
                    case RandomStep s:
                        await RandomFailure(s.Process, at).ConfigureAwait(false);
                        break;
                    case RepairStep s:
                        await Repair(_timeline[s.Entry], at).ConfigureAwait(false);
                        break;
                    case FlowStep s:
                        await SendFlow(spec.Security.Flows[s.Flow], s.Flow, s.Occurrence, offset, at).ConfigureAwait(false);
                        break;
                    case SampleStep:
                        var sample = await world.Sample(at).ConfigureAwait(false);
                        _samples.Add(sample);
                        options.Progress?.Report(new ScenarioProgress(offset, spec.Duration,
                            sample.Jobs.Sum(j => j.Interruptions), _injected, _active));
                        break;
                }
            }
            var wall = time.GetElapsedTime(wallStart).TotalSeconds;
            return ScenarioReportBuilder.Build(spec, options, _samples, _timeline.Select(t => t.ToResult()).ToList(), _errors,
                _injected, _active, _actions, wall,
                new SecurityResult(_flows, _allowed, _blocked, _crossTenantAllowed, _exfiltrationDetected, _detectionDelay));
        }

        private async Task SendFlow(ScheduledFlow flow, int index, int occurrence, TimeSpan offset, DateTimeOffset at)
        {
            try
            {
                // each occurrence its own connection: a distinct source port per flow and occurrence
                var (verdict, sent) = await world.SendFlow(flow, 1024 + (index * 997 + occurrence) % 60000, at).ConfigureAwait(false);
                _flows++;
                if (sent.LeavesSite || (sent.SourceTenant is not null && sent.SourceTenant != sent.DestinationTenant))
                {
                    _firstEgress.TryAdd(flow.Source, offset);
                }
                if (verdict.Allowed)
                {
                    _allowed++;
                    if (sent.SourceTenant is not null && sent.DestinationTenant is not null && sent.SourceTenant != sent.DestinationTenant)
                    {
                        _crossTenantAllowed++;
                    }
                }
                else
                {
                    _blocked++;
                }
                if (verdict.ExfiltrationSuspected)
                {
                    _exfiltrationDetected++;
                    _detectionDelay ??= (offset - _firstEgress.GetValueOrDefault(flow.Source, offset)).TotalSeconds;
                }
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or KeyNotFoundException)
            {
                _errors.Add($"flow at line {flow.Line} ({flow.Source} → {flow.Destination}): {e.Message}");
            }
        }

        private async Task Pace(TimeSpan offset, long wallStart)
        {
            if (options.Speed is not { } speed || speed <= 0)
            {
                return;
            }
            var due = TimeSpan.FromSeconds(offset.TotalSeconds / speed);
            var elapsed = time.GetElapsedTime(wallStart);
            if (due > elapsed)
            {
                await Task.Delay(due - elapsed, time, ct).ConfigureAwait(false);
            }
        }

        private void ScheduleNextFailure(int process, TimeSpan after)
        {
            var p = spec.Failures[process];
            var perHour = p.RatePerGpuHour * _processGpus[process];
            if (perHour <= 0)
            {
                return;
            }
            // Poisson process: exponential inter-arrival times with mean 1 / λ.
            var gapHours = -Math.Log(1 - _processRandom[process].NextDouble()) / perHour;
            var next = after + TimeSpan.FromHours(gapHours);
            if (next <= spec.Duration)
            {
                Enqueue(next, Order.Fault, new RandomStep(process));
            }
        }

        private async Task StartJob(int index, DateTimeOffset at)
        {
            var job = spec.Workloads[index].Job;
            try
            {
                _jobIds[job.Name] = await world.StartJob(job, at).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                _errors.Add($"{DurationText.Format(at - _start)}: job {job.Name} could not start: {e.Message}");
            }
        }

        private async Task Scheduled(ScheduledFault fault, DateTimeOffset at)
        {
            if (fault.Kind == FailureCauses.JobCrash)
            {
                var name = fault.Target ?? fault.Selector?.Job ?? "";
                await Crash(name, "job-crash (scheduled)", at, "scheduled", null).ConfigureAwait(false);
                return;
            }
            var targets = await ResolveTargets(fault).ConfigureAwait(false);
            if (fault.Name is not null)
            {
                _named[fault.Name] = targets;
            }
            if (targets.Count == 0)
            {
                var entry = new TimelineEntry
                {
                    At = Offset(at), Kind = fault.Kind, Target = Describe(fault), Source = "scheduled",
                    Error = "no device matches the selector",
                };
                _timeline.Add(entry);
                _errors.Add($"line {fault.Line}: {fault.Kind} at {DurationText.Format(fault.At)}: no device matches {Describe(fault)}");
                return;
            }
            foreach (var target in targets)
            {
                var entry = await Inject(fault.Kind, target, fault.Parameters, at, "scheduled", null, fault.Line).ConfigureAwait(false);
                if (entry is not null && fault.RepairAfter is { } after)
                {
                    Enqueue(at - _start + after, Order.Repair, new RepairStep(_timeline.IndexOf(entry)));
                }
            }
        }

        private static string Describe(ScheduledFault f) =>
            f.Target ?? (f.SameAs is not null ? $"same as {f.SameAs}"
                : f.Selector is { } s ? string.Join(", ", new[]
                {
                    $"kind {s.Kind.Name()}", s.Site is null ? null : $"site {s.Site}", s.Tier is null ? null : $"tier {s.Tier}",
                    s.Optics is null ? null : $"optics {s.Optics.Value.ToString().ToLowerInvariant()}", s.Job is null ? null : $"job {s.Job}",
                }.Where(x => x is not null)) : "");

        private async Task<IReadOnlyList<string>> ResolveTargets(ScheduledFault fault)
        {
            if (fault.Target is not null)
            {
                return [fault.Target];
            }
            if (fault.SameAs is not null)
            {
                return _named.GetValueOrDefault(fault.SameAs) ?? [];
            }
            var s = fault.Selector!;
            if (FaultKinds.Find(fault.Kind)?.Target == FaultTarget.Site)
            {
                return [s.Site!];
            }
            string? jobId = null;
            if (s.Job is not null && !_jobIds.TryGetValue(s.Job, out jobId))
            {
                return [];
            }
            var candidates = await world.Candidates(new FaultTargetQuery(s.Kind, s.Site, s.Tier, s.Optics, jobId)).ConfigureAwait(false);
            return fault.Pick switch
            {
                PickMode.All => candidates,
                PickMode.Count => Pick(candidates, fault.PickCount, _pickRandom),
                _ => Pick(candidates, 1, _pickRandom),
            };
        }

        /// <summary>n distinct items drawn uniformly (a partial Fisher–Yates shuffle), in draw order.</summary>
        private static IReadOnlyList<string> Pick(IReadOnlyList<string> items, int n, Random random)
        {
            if (items.Count == 0)
            {
                return [];
            }
            if (n == 1)
            {
                return [items[random.Next(items.Count)]];
            }
            var pool = items.ToArray();
            var count = Math.Min(n, pool.Length);
            for (var i = 0; i < count; i++)
            {
                var j = random.Next(i, pool.Length);
                (pool[i], pool[j]) = (pool[j], pool[i]);
            }
            return pool[..count];
        }

        private async Task<TimelineEntry?> Inject(string kind, string target, IReadOnlyDictionary<string, string> parameters,
            DateTimeOffset at, string source, string? cause, int line = 0)
        {
            var entry = new TimelineEntry { At = Offset(at), Kind = kind, Target = target, Source = source, Cause = cause };
            _timeline.Add(entry);
            try
            {
                entry.FaultId = await world.InjectFault(new FaultRequest(kind, target, parameters, at), at).ConfigureAwait(false);
                _injected++;
                _active++;
                return entry;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or KeyNotFoundException)
            {
                entry.Error = e.Message;
                _errors.Add((line > 0 ? $"line {line}: " : "") + $"{kind} on {target} at {DurationText.Format(at - _start)} rejected: {e.Message}");
                return null;
            }
        }

        private async Task Crash(string jobName, string reason, DateTimeOffset at, string source, string? cause)
        {
            var entry = new TimelineEntry { At = Offset(at), Kind = FailureCauses.JobCrash, Target = jobName, Source = source, Cause = cause };
            _timeline.Add(entry);
            if (!_jobIds.TryGetValue(jobName, out var id))
            {
                entry.Error = $"job {jobName} is not running";
                return;
            }
            await world.CrashJob(id, reason, at).ConfigureAwait(false);
            _injected++;
        }

        private async Task RandomFailure(int index, DateTimeOffset at)
        {
            var p = spec.Failures[index];
            var random = _processRandom[index];
            ScheduleNextFailure(index, at - _start);

            var u = random.NextDouble();
            var rule = p.Causes[^1];
            foreach (var c in p.Causes)
            {
                if (u < c.Weight)
                {
                    rule = c;
                    break;
                }
                u -= c.Weight;
            }
            string? jobId = null;
            if (p.Job is not null && !_jobIds.TryGetValue(p.Job, out jobId))
            {
                return;
            }
            if (rule.Kind == FailureCauses.JobCrash)
            {
                var jobName = p.Job ?? PickJobAtSite(p.Site!, random);
                if (jobName is not null)
                {
                    await Crash(jobName, rule.Cause, at, "random", rule.Cause).ConfigureAwait(false);
                }
                return;
            }
            var kind = FaultKinds.Find(rule.Kind)!;
            var deviceKind = kind.Target switch
            {
                FaultTarget.Link => DeviceKind.Link,
                FaultTarget.Switch => DeviceKind.Switch,
                FaultTarget.Storage => DeviceKind.Storage,
                FaultTarget.Dpu => DeviceKind.Dpu,
                FaultTarget.Dci => DeviceKind.Dci,
                _ => DeviceKind.Gpu,
            };
            var candidates = await world.Candidates(new FaultTargetQuery(deviceKind, p.Site, null, null, jobId)).ConfigureAwait(false);
            if (candidates.Count == 0)
            {
                _timeline.Add(new TimelineEntry
                {
                    At = Offset(at), Kind = rule.Kind, Target = p.Job ?? p.Site ?? "", Source = "random", Cause = rule.Cause,
                    Error = "no healthy device of that kind in scope",
                });
            }
            else
            {
                var target = candidates[random.Next(candidates.Count)];
                var entry = await Inject(rule.Kind, target, rule.Parameters, at, "random", rule.Cause).ConfigureAwait(false);
                if (entry is not null)
                {
                    var repair = spec.Repair.For(rule.Kind).Sample(_repairRandom);
                    Enqueue(at - _start + repair, Order.Repair, new RepairStep(_timeline.IndexOf(entry)));
                }
            }
            if (jobId is not null)
            {
                await world.CrashJob(jobId, rule.Cause, at).ConfigureAwait(false);
            }
        }

        private string? PickJobAtSite(string site, Random random)
        {
            var names = spec.Workloads.Where(w => _jobIds.ContainsKey(w.Job.Name) && (w.Job.Sites.Count == 0 || w.Job.Sites.Contains(site)))
                .Select(w => w.Job.Name).ToList();
            return names.Count == 0 ? null : names[random.Next(names.Count)];
        }

        private async Task Repair(TimelineEntry entry, DateTimeOffset at)
        {
            try
            {
                await world.RepairFault(entry.FaultId!, at).ConfigureAwait(false);
                entry.RepairedAt = Offset(at);
                _active--;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or KeyNotFoundException)
            {
                _errors.Add($"repair of {entry.FaultId} ({entry.Kind} on {entry.Target}) failed: {e.Message}");
            }
        }
    }
}

/// <summary>Turns the samples and timeline of a run into a <see cref="ScenarioReport"/> and evaluates expectations.</summary>
internal static class ScenarioReportBuilder
{
    public static ScenarioReport Build(ScenarioSpec spec, ScenarioRunOptions options, IReadOnlyList<WorldSample> samples,
        IReadOnlyList<FaultTimelineEntry> timeline, IReadOnlyList<string> errors, int injected, int active, long actions, double wall,
        SecurityResult? security = null)
    {
        security ??= SecurityResult.Empty;
        var last = samples.Count > 0 ? samples[^1] : new WorldSample(spec.Start, [], [], 0, 0);
        var siteNames = last.Sites.Select(s => s.Site).ToList();
        var minUsable = siteNames.ToDictionary(s => s, s => samples.Min(x => x.Sites.First(y => y.Site == s).UsableGpus));
        var factoryMin = samples.Count > 0 ? samples.Min(x => x.UsableGpus) : 0;
        var jobNames = last.Jobs.Select(j => j.JobId).ToList();

        var series = new ScenarioSeries(
            samples.Select(s => (s.At - spec.Start).TotalSeconds).ToList(),
            siteNames.ToDictionary(n => n, n => (IReadOnlyList<int>)samples.Select(s => s.Sites.First(x => x.Site == n).UsableGpus).ToList()),
            jobNames.ToDictionary(n => n, n => (IReadOnlyList<double>)samples.Select(s => s.Jobs.FirstOrDefault(j => j.JobId == n)?.Goodput ?? 0).ToList()),
            samples.Select(s => s.Jobs.Sum(j => j.Interruptions)).ToList(),
            samples.Select(s => ActiveAt(timeline, (s.At - spec.Start).TotalSeconds)).ToList());

        var recoveries = last.Jobs
            .SelectMany(j => j.Recoveries.Select(r => new RecoveryResult(j.JobId, (r.At - spec.Start).TotalSeconds, r.Duration.TotalSeconds, r.Reason)))
            .OrderBy(r => r.AtSeconds).ThenBy(r => r.Job, StringComparer.Ordinal).ToList();
        var stats = RecoveryStats.Of(recoveries.Select(r => r.Seconds).ToList());
        var gpuWeight = last.Jobs.Sum(j => (double)j.Gpus);
        var goodput = gpuWeight > 0 ? last.Jobs.Sum(j => j.Goodput * j.Gpus) / gpuWeight : 0;
        var interruptions = last.Jobs.Sum(j => j.Interruptions);

        double? Value(MetricPath m, out double total)
        {
            total = double.NaN;
            var p = m.Parts;
            switch (p)
            {
                case ["interruptions"]:
                    return interruptions;
                case ["goodput"] or ["job", "goodput"]:
                    return gpuWeight > 0 ? goodput : null;
                case ["job", var f]:
                    return last.Jobs.Count == 0 ? null : JobValue(last.Jobs, f);
                case ["job", var name, var f]:
                    var matching = last.Jobs.Where(j => j.Name == name).ToList();
                    return matching.Count == 0 ? null : JobValue(matching, f);
                case ["recovery", var f]:
                    return f switch
                    {
                        "count" => stats.Count,
                        "mean" => stats.MeanSeconds,
                        "p50" => stats.P50Seconds,
                        "p95" => stats.P95Seconds,
                        "p99" => stats.P99Seconds,
                        _ => stats.MaxSeconds,
                    };
                case ["events", var f]:
                    return f == "lost" ? last.EventsLost : last.EventsRecorded;
                case ["security", var f]:
                    return f switch
                    {
                        "flows" => security.Flows,
                        "allowed" => security.Allowed,
                        "blocked" => security.Blocked,
                        "crossTenantAllowed" => security.CrossTenantAllowed,
                        "exfiltrationDetected" => security.ExfiltrationDetected,
                        _ => security.DetectionDelaySeconds,
                    };
                case ["faults", var f]:
                    return f switch
                    {
                        "injected" => injected,
                        "active" => active,
                        _ => timeline.Count(t => t.Error is not null),
                    };
                case ["factory", .. var rest]:
                    total = last.TotalGpus;
                    return rest[0] == "totalGpus" ? last.TotalGpus : rest.Length > 1 ? factoryMin : last.UsableGpus;
                case ["site", var site, .. var rest]:
                    var s = last.Sites.FirstOrDefault(x => x.Site == site);
                    if (s is null)
                    {
                        return null;
                    }
                    total = s.TotalGpus;
                    return rest[0] == "totalGpus" ? s.TotalGpus : rest.Length > 1 ? minUsable[site] : s.UsableGpus;
            }
            return null;
        }

        var results = new List<ExpectationResult>();
        foreach (var e in spec.Expectations)
        {
            var actual = Value(e.Metric, out var total);
            var passed = actual is { } a && !double.IsNaN(a) && e.Holds(a, total);
            var text = actual is not { } v ? "n/a"
                : e.Metric.Unit == ValueUnit.Duration ? Human(v)
                : v.ToString("0.####", CultureInfo.InvariantCulture);
            results.Add(new ExpectationResult(e.Text, passed, actual is { } r ? Math.Round(r, 9) : null, text, e.Describe(total)));
        }

        var virtualSeconds = spec.Duration.TotalSeconds;
        return new ScenarioReport
        {
            Scenario = spec.Name,
            Description = spec.Description,
            Topology = spec.Topology,
            Seed = spec.Seed,
            Start = spec.Start,
            End = spec.Start + spec.Duration,
            Passed = results.All(r => r.Passed) && errors.Count == 0,
            WallSeconds = wall,
            VirtualSeconds = virtualSeconds,
            Speed = options.Speed is > 0 ? options.Speed : null,
            SpeedAchieved = wall > 0 ? virtualSeconds / wall : 0,
            Interruptions = interruptions,
            Goodput = goodput,
            EventsRecorded = last.EventsRecorded,
            EventsLost = last.EventsLost,
            EventsPerSecond = wall > 0 ? last.EventsRecorded / wall : 0,
            Actions = actions,
            ActionsPerSecond = wall > 0 ? actions / wall : 0,
            Expectations = results,
            Jobs = last.Jobs.Select(j => new JobResult(j.JobId, j.Name, j.Gpus, j.Sites, j.State, j.Goodput, j.Interruptions,
                j.Useful.TotalSeconds, j.Wall.TotalSeconds, j.LostWork.TotalSeconds, j.Downtime.TotalSeconds)).ToList(),
            Sites = last.Sites.Select(s => new SiteResult(s.Site, s.TotalGpus, s.UsableGpus, minUsable[s.Site])).ToList(),
            Series = series,
            Faults = timeline,
            Recovery = stats,
            Recoveries = recoveries,
            Errors = errors,
            Security = security,
        };
    }

    /// <summary>Aggregate of job metrics: goodput GPU-weighted, counts and durations summed, running = all running.</summary>
    private static double JobValue(IReadOnlyList<JobSample> jobs, string field) => field switch
    {
        "goodput" => jobs.Sum(j => j.Goodput * j.Gpus) / Math.Max(1, jobs.Sum(j => (double)j.Gpus)),
        "interruptions" => jobs.Sum(j => j.Interruptions),
        "lostWork" => jobs.Sum(j => j.LostWork.TotalSeconds),
        "downtime" => jobs.Sum(j => j.Downtime.TotalSeconds),
        "running" => jobs.All(j => j.State == JobStates.Running) ? 1 : 0,
        "gpus" => jobs.Sum(j => j.Gpus),
        _ => double.NaN,
    };

    /// <summary>Seconds as people read a duration: <c>2h 5m 5s</c>, <c>7m 1.8s</c>.</summary>
    internal static string Human(double seconds)
    {
        if (seconds < 60)
        {
            return seconds.ToString("0.#", CultureInfo.InvariantCulture) + "s";
        }
        var t = TimeSpan.FromSeconds(Math.Round(seconds, 1));
        var parts = new List<string>();
        if (t.Days > 0)
        {
            parts.Add($"{t.Days}d");
        }
        if (t.Hours > 0)
        {
            parts.Add($"{t.Hours}h");
        }
        if (t.Minutes > 0)
        {
            parts.Add($"{t.Minutes}m");
        }
        var s = t.Seconds + t.Milliseconds / 1000.0;
        if (s > 0)
        {
            parts.Add(s.ToString("0.#", CultureInfo.InvariantCulture) + "s");
        }
        return string.Join(' ', parts);
    }

    private static int ActiveAt(IReadOnlyList<FaultTimelineEntry> timeline, double t) =>
        timeline.Count(f => f.FaultId is not null && f.Kind != FailureCauses.JobCrash && f.AtSeconds <= t && (f.RepairedAtSeconds is not { } r || r > t));
}
