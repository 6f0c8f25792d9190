namespace Twin.Model.Storage;

/// <summary>
/// Bursts sharing one pool of bandwidth — a site's storage read bandwidth during checkpoint restores — by
/// max-min fairness: at every moment the bursts in flight split the pool equally, and a burst capped below
/// its equal share (by its GPUs' NICs) leaves the rest to the others. Completion times are a pure function
/// of the set of bursts, so the order in which simultaneous bursts are added does not change the plan.
/// A burst of infinite bytes is a steady flow (a job's data loader reading its dataset): it takes up to its cap
/// for as long as it runs, and <see cref="Rates"/> says what it actually gets over time.
/// </summary>
/// <remarks>
/// The schedule has a present (<see cref="Now"/>): <see cref="AdvanceTo"/> folds the past into the bytes each
/// burst still has to move and forgets finished bursts, so it stays as small as the bursts in flight. A burst
/// added with a start before the present (a late notice) starts at the present; an empty schedule has none.
/// </remarks>
public sealed class FairShareSchedule(double capacityBytesPerSecond)
{
    private const double DoneBytes = 1.0;

    private readonly Dictionary<string, Pending> _bursts = new(StringComparer.Ordinal);
    private double _capacity = Positive(capacityBytesPerSecond);

    /// <summary>Bandwidth of the pool, bytes/s. A change applies from the present on.</summary>
    public double CapacityBytesPerSecond
    {
        get => _capacity;
        set => _capacity = Positive(value);
    }

    /// <summary>The schedule's present: nothing before it can change any more.</summary>
    public DateTimeOffset? Now { get; private set; }

    public int Count => _bursts.Count;

    /// <summary>Adds a burst, or replaces the one with the same id (a job whose restore was interrupted restores again).</summary>
    public void Add(string id, DateTimeOffset start, double bytes, double capBytesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Positive(capBytesPerSecond);
        var from = Now is { } now && start < now ? now : start;
        _bursts[id] = new Pending(start, from, bytes, bytes, capBytesPerSecond);
    }

    /// <summary>Removes a burst that has not started by the present (a planned start that moved).</summary>
    public bool Remove(string id)
    {
        if (!_bursts.TryGetValue(id, out var burst))
        {
            return false;
        }
        if (Now is { } now && burst.From < now)
        {
            throw new InvalidOperationException($"burst {id} has already started; stop it at a time instead");
        }
        return _bursts.Remove(id);
    }

    /// <summary>Stops a burst at <paramref name="at"/>: what it moved until then still used the pool.</summary>
    public bool Stop(string id, DateTimeOffset at)
    {
        AdvanceTo(at);
        return _bursts.Remove(id);
    }

    /// <summary>Moves the present to <paramref name="t"/>: bursts finished by then are forgotten, the others keep their bytes left.</summary>
    public void AdvanceTo(DateTimeOffset t)
    {
        if (Now is { } now && t <= now)
        {
            return;
        }
        foreach (var (id, state) in Simulate(t))
        {
            if (state.Finished is not null || state.BytesLeft <= DoneBytes)
            {
                _bursts.Remove(id);
            }
            else
            {
                var burst = _bursts[id];
                _bursts[id] = burst with { From = burst.From > t ? burst.From : t, BytesLeft = state.BytesLeft };
            }
        }
        // with nothing in flight there is nothing a late burst could contradict: the schedule has no present
        Now = _bursts.Count > 0 ? t : null;
    }

    /// <summary>When every burst finishes, and its average rate over its whole life.</summary>
    public IReadOnlyDictionary<string, SharedBurst> Plan()
    {
        var plan = new Dictionary<string, SharedBurst>(StringComparer.Ordinal);
        foreach (var (id, state) in Simulate(null))
        {
            var burst = _bursts[id];
            var end = state.Finished ?? DateTimeOffset.MaxValue;
            var seconds = (end - burst.Start).TotalSeconds;
            plan[id] = new SharedBurst(burst.Start, end, seconds > 0 ? burst.Bytes / seconds : burst.Bytes > 0 ? double.PositiveInfinity : 0);
        }
        return plan;
    }

    /// <summary>What a burst or flow is served from the present on: the rate from each moment until the next.</summary>
    public IReadOnlyList<RateStep> Rates(string id)
    {
        var steps = new List<RateStep>();
        Simulate(null, (burst, at, rate) =>
        {
            if (burst == id && (steps.Count == 0 || steps[^1].BytesPerSecond != rate))
            {
                steps.Add(new RateStep(at, rate));
            }
        });
        return steps;
    }

    // Event by event: between two events (a start or a finish) every burst in flight moves at a constant rate.
    private Dictionary<string, Progress> Simulate(DateTimeOffset? until, Action<string, DateTimeOffset, double>? served = null)
    {
        var state = _bursts.ToDictionary(b => b.Key, b => new Progress(b.Value.BytesLeft, null), StringComparer.Ordinal);
        if (_bursts.Count == 0)
        {
            return state;
        }
        var t = _bursts.Values.Min(b => b.From);
        while (until is null || t < until)
        {
            var active = _bursts.Where(b => b.Value.From <= t && state[b.Key].Finished is null).ToList();
            foreach (var (id, _) in active.Where(b => state[b.Key].BytesLeft <= DoneBytes))
            {
                state[id] = state[id] with { Finished = t };
                served?.Invoke(id, t, 0);
            }
            active.RemoveAll(b => state[b.Key].Finished is not null);
            var nextStart = _bursts.Values.Where(b => b.From > t).Select(b => (DateTimeOffset?)b.From).Min();
            if (active.Count == 0)
            {
                if (nextStart is null)
                {
                    break;
                }
                t = nextStart.Value;
                continue;
            }
            var rates = WaterFill(active.Select(b => (b.Key, b.Value.Cap)).ToList());
            foreach (var (id, _) in active)
            {
                served?.Invoke(id, t, rates[id]);
            }
            var step = active.Min(b => state[b.Key].BytesLeft / rates[b.Key]);
            if (nextStart is { } s)
            {
                step = Math.Min(step, (s - t).TotalSeconds);
            }
            if (until is { } u)
            {
                step = Math.Min(step, (u - t).TotalSeconds);
            }
            if (double.IsPositiveInfinity(step))
            {
                break; // only steady flows left, and nothing more to start: they run on at these rates
            }
            // whole ticks: a finish is never stamped before its bytes are moved
            var next = t + TimeSpan.FromTicks(Math.Max(1, (long)Math.Ceiling(step * TimeSpan.TicksPerSecond)));
            var seconds = (next - t).TotalSeconds;
            foreach (var (id, _) in active)
            {
                var left = Math.Max(0, state[id].BytesLeft - rates[id] * seconds);
                state[id] = new Progress(left, left <= DoneBytes ? next : null);
            }
            t = next;
        }
        return state;
    }

    // Max-min fairness: serve the smallest caps first; each burst takes min(cap, equal share of what is left).
    private Dictionary<string, double> WaterFill(List<(string Id, double Cap)> active)
    {
        var rates = new Dictionary<string, double>(StringComparer.Ordinal);
        var left = _capacity;
        var n = active.Count;
        foreach (var (id, cap) in active.OrderBy(b => b.Cap).ThenBy(b => b.Id, StringComparer.Ordinal))
        {
            var rate = Math.Min(cap, left / n--);
            rates[id] = rate;
            left -= rate;
        }
        return rates;
    }

    private static double Positive(double bytesPerSecond) => bytesPerSecond > 0 ? bytesPerSecond
        : throw new ArgumentOutOfRangeException(nameof(bytesPerSecond), bytesPerSecond, "bandwidth must be > 0");

    private sealed record Pending(DateTimeOffset Start, DateTimeOffset From, double Bytes, double BytesLeft, double Cap);

    private sealed record Progress(double BytesLeft, DateTimeOffset? Finished);
}

/// <summary>From <see cref="From"/> on (until the next step), a burst or flow is served at this rate, bytes/s.</summary>
public sealed record RateStep(DateTimeOffset From, double BytesPerSecond);

/// <summary>A burst as the schedule plans it: start, finish, and its average rate over that span (bytes/s).</summary>
public sealed record SharedBurst(DateTimeOffset Start, DateTimeOffset End, double AverageBytesPerSecond)
{
    public TimeSpan Duration => End - Start;
}
