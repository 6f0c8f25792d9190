using System.Text.Json;
using System.Text.Json.Serialization;

namespace Twin.Model.Scenarios;

/// <summary>
/// The outcome of a scenario run, written as <c>report.json</c>: whether every expectation held, headline
/// figures, per-job and per-site results, time series, the faults timeline and every recovery. Apart from the
/// wall-clock fields (<see cref="WallSeconds"/>, <see cref="SpeedAchieved"/>, <see cref="EventsPerSecond"/>,
/// <see cref="ActionsPerSecond"/>) the same spec and seed give the same report.
/// </summary>
public sealed record ScenarioReport
{
    public required string Scenario { get; init; }

    public string? Description { get; init; }

    public required string Topology { get; init; }

    public int Seed { get; init; }

    public DateTimeOffset Start { get; init; }

    public DateTimeOffset End { get; init; }

    /// <summary>True when every expectation held and no fault was rejected.</summary>
    public bool Passed { get; init; }

    public double WallSeconds { get; init; }

    public double VirtualSeconds { get; init; }

    /// <summary>Requested pacing (virtual seconds per wall second); null = as fast as possible.</summary>
    public double? Speed { get; init; }

    /// <summary>Virtual seconds per wall second achieved.</summary>
    public double SpeedAchieved { get; init; }

    public int Interruptions { get; init; }

    /// <summary>GPU-weighted goodput of every job (useful / wall).</summary>
    public double Goodput { get; init; }

    /// <summary>Device and job state changes the world recorded (what the twin would publish as events).</summary>
    public long EventsRecorded { get; init; }

    public long EventsLost { get; init; }

    public double EventsPerSecond { get; init; }

    /// <summary>Timed actions the engine executed: job starts, faults, repairs, crashes, samples.</summary>
    public long Actions { get; init; }

    public double ActionsPerSecond { get; init; }

    public IReadOnlyList<ExpectationResult> Expectations { get; init; } = [];

    public IReadOnlyList<JobResult> Jobs { get; init; } = [];

    public IReadOnlyList<SiteResult> Sites { get; init; } = [];

    public required ScenarioSeries Series { get; init; }

    public IReadOnlyList<FaultTimelineEntry> Faults { get; init; } = [];

    public RecoveryStats Recovery { get; init; } = RecoveryStats.Empty;

    public IReadOnlyList<RecoveryResult> Recoveries { get; init; } = [];

    /// <summary>What the scenario's flows met at the DPUs (all zero without flows).</summary>
    public SecurityResult Security { get; init; } = SecurityResult.Empty;

    /// <summary>Faults the world rejected, targets no device matched, and other problems of the run.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>The report with wall-clock fields zeroed: what must repeat for a given spec and seed.</summary>
    public ScenarioReport WithoutWallTime() => this with { WallSeconds = 0, SpeedAchieved = 0, EventsPerSecond = 0, ActionsPerSecond = 0 };

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static ScenarioReport FromJson(string json) =>
        JsonSerializer.Deserialize<ScenarioReport>(json, JsonOptions) ?? throw new JsonException("empty report");
}

/// <summary>One expectation: its text, whether it held, the measured value (seconds for durations) and the bound.</summary>
public sealed record ExpectationResult(string Name, bool Passed, double? Actual, string ActualText, string Expected);

/// <summary>A job at the end of the run.</summary>
public sealed record JobResult(
    string Id,
    string Name,
    int Gpus,
    IReadOnlyList<string> Sites,
    string State,
    double Goodput,
    int Interruptions,
    double UsefulSeconds,
    double WallSeconds,
    double LostWorkSeconds,
    double DowntimeSeconds);

/// <summary>A site's GPUs at the end and the fewest usable at any sample.</summary>
public sealed record SiteResult(string Name, int TotalGpus, int UsableGpus, int MinUsableGpus);

/// <summary>Samples taken every duration / samples: usable GPUs per site, goodput per job, interruptions so far.</summary>
public sealed record ScenarioSeries(
    IReadOnlyList<double> Seconds,
    IReadOnlyDictionary<string, IReadOnlyList<int>> UsableGpus,
    IReadOnlyDictionary<string, IReadOnlyList<double>> Goodput,
    IReadOnlyList<int> Interruptions,
    IReadOnlyList<int> ActiveFaults);

/// <summary>A fault the run injected (or tried to): when, what, where, why, and when it was repaired.</summary>
public sealed record FaultTimelineEntry(
    double AtSeconds,
    string Kind,
    string Target,
    string Source,
    string? Cause = null,
    string? FaultId = null,
    double? RepairedAtSeconds = null,
    string? Error = null);

/// <summary>One recovery of one job: when it stopped, seconds until it trained again, and what stopped it.</summary>
public sealed record RecoveryResult(string Job, double AtSeconds, double Seconds, string Reason);

/// <summary>Recovery durations in seconds; percentiles are nearest-rank.</summary>
public sealed record RecoveryStats(int Count, double MeanSeconds, double P50Seconds, double P95Seconds, double P99Seconds, double MaxSeconds)
{
    public static RecoveryStats Empty { get; } = new(0, 0, 0, 0, 0, 0);

    public static RecoveryStats Of(IReadOnlyList<double> seconds)
    {
        if (seconds.Count == 0)
        {
            return Empty;
        }
        var sorted = seconds.Order().ToArray();
        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new RecoveryStats(sorted.Length, sorted.Average(), Rank(0.50), Rank(0.95), Rank(0.99), sorted[^1]);
    }
}
