namespace Twin.Model.Workloads;

/// <summary>State of a training run.</summary>
public enum RunState : byte
{
    Running,
    Recovering,
    Stopped,
    Cancelled,
}

/// <summary>
/// A synchronous training run advanced in event time. Checkpoints complete every interval of running time
/// since the last (re)start; a failure throws away the work since the last checkpoint, then the job waits
/// for detection + restart + restoring the checkpoint before running again. Wall time splits exactly into
/// useful + lost + down: goodput = useful / wall.
/// </summary>
public sealed class TrainingRun(DateTimeOffset start, TimeSpan checkpointInterval, double stepSeconds)
{
    private List<RunEvent> _timeline = [new(start, "started", "job started")];
    private List<TimeSpan> _recoveries = [];
    private DateTimeOffset _segmentStart = start;
    private DateTimeOffset? _downSince;
    private Queue<DateTimeOffset> _recentCheckpoints = new();
    private const int RecentCheckpointsKept = 8;

    public DateTimeOffset Start { get; } = start;

    public DateTimeOffset Now { get; private set; } = start;

    public RunState State { get; private set; } = RunState.Running;

    public double StepSeconds { get; private set; } = stepSeconds;

    public DateTimeOffset LastCheckpoint { get; private set; } = start;

    public DateTimeOffset? ResumeAt { get; private set; }

    public TimeSpan Useful { get; private set; }

    public TimeSpan Lost { get; private set; }

    public TimeSpan Down { get; private set; }

    public TimeSpan RestartTime { get; private set; }

    public TimeSpan RestoreTime { get; private set; }

    public double Steps { get; private set; }

    public int Interruptions { get; private set; }

    public int Checkpoints { get; private set; }

    /// <summary>When the latest checkpoints were taken (the last few), oldest first: each is a write to storage.</summary>
    public IReadOnlyCollection<DateTimeOffset> RecentCheckpoints => _recentCheckpoints;

    public IReadOnlyList<RunEvent> Timeline => _timeline;

    /// <summary>Down time of each completed recovery (failure → running again).</summary>
    public IReadOnlyList<TimeSpan> Recoveries => _recoveries;

    public TimeSpan Wall => Now - Start;

    public double Goodput => Wall > TimeSpan.Zero ? Useful / Wall : 1.0;

    /// <summary>An independent copy, to project the run forward (a view as of a later time) without moving this one.</summary>
    public TrainingRun Copy()
    {
        var copy = (TrainingRun)MemberwiseClone();
        copy._timeline = [.. _timeline];
        copy._recoveries = [.. _recoveries];
        copy._recentCheckpoints = new Queue<DateTimeOffset>(_recentCheckpoints);
        return copy;
    }

    public void AdvanceTo(DateTimeOffset t)
    {
        if (t <= Now)
        {
            return;
        }
        if (State == RunState.Recovering && ResumeAt is { } resume && resume <= t)
        {
            Down += resume - Now;
            Now = resume;
            State = RunState.Running;
            _segmentStart = resume;
            LastCheckpoint = resume; // the restored checkpoint is the new base
            ResumeAt = null;
            if (_downSince is { } since)
            {
                _recoveries.Add(resume - since);
                _downSince = null;
            }
            _timeline.Add(new(resume, "resumed", "training resumed from the checkpoint"));
        }
        var span = t - Now;
        switch (State)
        {
            case RunState.Running:
                Useful += span;
                Steps += span.TotalSeconds / StepSeconds;
                var completed = (long)((t - _segmentStart).Ticks / checkpointInterval.Ticks);
                var last = _segmentStart + checkpointInterval * completed;
                if (last > LastCheckpoint)
                {
                    var taken = (int)((last - LastCheckpoint).Ticks / checkpointInterval.Ticks);
                    for (var i = Math.Max(1, taken - RecentCheckpointsKept + 1); i <= taken; i++)
                    {
                        _recentCheckpoints.Enqueue(LastCheckpoint + checkpointInterval * i);
                        if (_recentCheckpoints.Count > RecentCheckpointsKept)
                        {
                            _recentCheckpoints.Dequeue();
                        }
                    }
                    Checkpoints += taken;
                    LastCheckpoint = last;
                }
                break;
            case RunState.Recovering or RunState.Stopped:
                Down += span;
                break;
        }
        Now = t;
    }

    /// <summary>A failure hit the job: lose the work since the last checkpoint, recover after restart + restore.</summary>
    public void Interrupt(DateTimeOffset t, string reason, TimeSpan restart, TimeSpan restore)
    {
        t = Late(t);
        AdvanceTo(t);
        if (State == RunState.Cancelled)
        {
            return;
        }
        LoseWorkSinceCheckpoint(t);
        Interruptions++;
        _downSince ??= t;
        State = RunState.Recovering;
        ResumeAt = t + restart + restore;
        RestartTime += restart;
        RestoreTime += restore;
        _timeline.Add(new(t, "interrupted", reason));
        _timeline.Add(new(t + restart, "restoring", $"reading the checkpoint back for {restore.TotalSeconds:0.#} s"));
    }

    /// <summary>The job cannot run (e.g. its sites are partitioned): it waits, losing the work since the last checkpoint.</summary>
    public void Stop(DateTimeOffset t, string reason)
    {
        t = Late(t);
        AdvanceTo(t);
        if (State is RunState.Stopped or RunState.Cancelled)
        {
            return;
        }
        LoseWorkSinceCheckpoint(t);
        Interruptions++;
        _downSince ??= t;
        State = RunState.Stopped;
        ResumeAt = null;
        _timeline.Add(new(t, "stopped", reason));
    }

    /// <summary>What stopped the job is gone: restart and restore, then run.</summary>
    public void Restart(DateTimeOffset t, string reason, TimeSpan restart, TimeSpan restore)
    {
        t = Late(t);
        AdvanceTo(t);
        if (State != RunState.Stopped)
        {
            return;
        }
        State = RunState.Recovering;
        ResumeAt = t + restart + restore;
        RestartTime += restart;
        RestoreTime += restore;
        _timeline.Add(new(t, "restarting", reason));
    }

    /// <summary>The restore under way ends at <paramref name="resumeAt"/> instead (storage is shared with other restores).</summary>
    public void RescheduleResume(DateTimeOffset resumeAt, string reason)
    {
        if (State != RunState.Recovering || ResumeAt is not { } planned || planned == resumeAt || resumeAt < Now)
        {
            return;
        }
        RestoreTime += resumeAt - planned;
        ResumeAt = resumeAt;
        _timeline.Add(new(Now, "restore-rescheduled", $"{reason}: back at {resumeAt:HH:mm:ss} instead of {planned:HH:mm:ss}"));
    }

    /// <summary>Hardware got slower or faster: later steps take this long.</summary>
    public void ChangeStepTime(DateTimeOffset t, double stepSeconds, string reason)
    {
        AdvanceTo(t);
        if (Math.Abs(stepSeconds - StepSeconds) > 1e-9 * StepSeconds)
        {
            _timeline.Add(new(t, "step-time", $"{reason}: step {StepSeconds:0.###} s → {stepSeconds:0.###} s"));
            StepSeconds = stepSeconds;
        }
    }

    public void Cancel(DateTimeOffset t)
    {
        AdvanceTo(t);
        State = RunState.Cancelled;
        _timeline.Add(new(t, "cancelled", "job cancelled"));
    }

    // A notice stamped before the run's present (it travelled one-way and arrived late) takes effect now:
    // time already accounted for is not rewritten, so the timeline stays in order.
    private DateTimeOffset Late(DateTimeOffset t) => t < Now ? Now : t;

    private void LoseWorkSinceCheckpoint(DateTimeOffset t)
    {
        if (State != RunState.Running)
        {
            return;
        }
        var lost = t - LastCheckpoint;
        Useful -= lost;
        Lost += lost;
        Steps -= lost.TotalSeconds / StepSeconds;
    }
}

/// <summary>One entry of a run's timeline.</summary>
public sealed record RunEvent(DateTimeOffset Time, string Kind, string Detail);
