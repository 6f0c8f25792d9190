using Twin.Model.Scenarios;

namespace Twin.Model.Forecasts;

/// <summary>What the supposed faults change against the baseline: per job and per site, and in all.</summary>
public sealed record ForecastDiff(
    double GoodputBaseline,
    double GoodputWhatIf,
    double GoodputDelta,
    int InterruptionsDelta,
    IReadOnlyList<JobDiff> Jobs,
    IReadOnlyList<SiteDiff> Sites)
{
    public static ForecastDiff Between(ScenarioReport baseline, ScenarioReport whatIf)
    {
        var jobs = whatIf.Jobs.Select(w =>
        {
            var b = baseline.Jobs.FirstOrDefault(j => j.Name == w.Name);
            var bGoodput = b?.Goodput ?? 1;
            return new JobDiff(w.Name, bGoodput, w.Goodput, w.Goodput - bGoodput, w.Interruptions - (b?.Interruptions ?? 0),
                w.LostWorkSeconds - (b?.LostWorkSeconds ?? 0), w.DowntimeSeconds - (b?.DowntimeSeconds ?? 0));
        }).ToList();
        var sites = whatIf.Sites.Select(w =>
        {
            var b = baseline.Sites.FirstOrDefault(s => s.Name == w.Name);
            return new SiteDiff(w.Name, b?.MinUsableGpus ?? w.TotalGpus, w.MinUsableGpus, w.MinUsableGpus - (b?.MinUsableGpus ?? w.TotalGpus));
        }).ToList();
        return new ForecastDiff(baseline.Goodput, whatIf.Goodput, whatIf.Goodput - baseline.Goodput,
            whatIf.Interruptions - baseline.Interruptions, jobs, sites);
    }
}

/// <summary>One job's goodput, interruptions, lost work and downtime (s) with the supposed faults, against the baseline.</summary>
public sealed record JobDiff(string Job, double GoodputBaseline, double GoodputWhatIf, double GoodputDelta, int InterruptionsDelta,
    double LostWorkSecondsDelta, double DowntimeSecondsDelta);

/// <summary>The fewest usable GPUs a site had over the horizon, in each forecast.</summary>
public sealed record SiteDiff(string Site, int MinUsableGpusBaseline, int MinUsableGpusWhatIf, int MinUsableGpusDelta);
