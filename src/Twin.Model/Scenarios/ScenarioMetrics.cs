namespace Twin.Model.Scenarios;

/// <summary>
/// The metrics an expectation may name. Aggregates over every job: <c>interruptions</c>, <c>goodput</c>,
/// <c>job.goodput</c> (GPU-weighted), <c>job.interruptions</c>, <c>job.lostWork</c>, <c>job.downtime</c>,
/// <c>job.running</c> (1 when every job runs at the end); the same per job as <c>job.NAME.*</c> (plus
/// <c>job.NAME.gpus</c>); <c>recovery.count|mean|p50|p95|p99|max</c>; <c>events.recorded|lost</c>;
/// <c>faults.injected|rejected|active</c>; <c>site.NAME.usableGpus[.min]</c> and <c>site.NAME.totalGpus</c>;
/// <c>factory.usableGpus[.min]</c>, <c>factory.totalGpus</c>; <c>security.flows|allowed|blocked|crossTenantAllowed|
/// exfiltrationDetected|detectionDelay</c> (the time from a source's first off-site or cross-tenant flow to the first
/// exfiltration alarm). Beside a usable-GPU metric, <c>total</c> is the GPU count.
/// </summary>
public static class ScenarioMetrics
{
    private static readonly Dictionary<string, ValueUnit> JobFields = new(StringComparer.Ordinal)
    {
        ["goodput"] = ValueUnit.Number,
        ["interruptions"] = ValueUnit.Number,
        ["lostWork"] = ValueUnit.Duration,
        ["downtime"] = ValueUnit.Duration,
        ["running"] = ValueUnit.Number,
        ["gpus"] = ValueUnit.Number,
    };

    private static readonly Dictionary<string, ValueUnit> RecoveryFields = new(StringComparer.Ordinal)
    {
        ["count"] = ValueUnit.Number,
        ["mean"] = ValueUnit.Duration,
        ["p50"] = ValueUnit.Duration,
        ["p95"] = ValueUnit.Duration,
        ["p99"] = ValueUnit.Duration,
        ["max"] = ValueUnit.Duration,
    };

    private static readonly string[] GpuFields = ["usableGpus", "usableGpus.min", "totalGpus"];

    /// <summary>
    /// Resolves a metric path, or says why it is unknown. <paramref name="sites"/> null accepts any site name
    /// (the topology could not be read at load time).
    /// </summary>
    public static MetricPath? Resolve(string text, IReadOnlyCollection<string> jobs, IReadOnlyCollection<string>? sites, out string? error)
    {
        error = null;
        var parts = text.Split('.');
        MetricPath Ok(ValueUnit unit, string? total = null) => new(text, parts, unit, total);
        switch (parts)
        {
            case ["interruptions"]:
                return Ok(ValueUnit.Number);
            case ["goodput"]:
                return Ok(ValueUnit.Number);
            case ["job", var f] when JobFields.TryGetValue(f, out var u) && f != "gpus":
                return Ok(u);
            case ["job", var name, var f] when jobs.Contains(name):
                if (JobFields.TryGetValue(f, out var ju))
                {
                    return Ok(ju);
                }
                error = $"job metric '{f}' is unknown; job metrics are {string.Join(", ", JobFields.Keys)}";
                return null;
            case ["job", var name, ..] when !JobFields.ContainsKey(name):
                error = $"no workload named '{name}'" + (jobs.Count > 0 ? $"; workloads are {string.Join(", ", jobs)}" : "");
                return null;
            case ["recovery", var f] when RecoveryFields.TryGetValue(f, out var ru):
                return Ok(ru);
            case ["events", "recorded" or "lost"]:
                return Ok(ValueUnit.Number);
            case ["security", "flows" or "allowed" or "blocked" or "crossTenantAllowed" or "exfiltrationDetected"]:
                return Ok(ValueUnit.Number);
            case ["security", "detectionDelay"]:
                return Ok(ValueUnit.Duration);
            case ["faults", "injected" or "rejected" or "active"]:
                return Ok(ValueUnit.Number);
            case ["factory", .. var rest] when GpuFields.Contains(string.Join('.', rest)):
                return Ok(ValueUnit.Number, rest[0] == "totalGpus" ? null : "factory.totalGpus");
            case ["site", var site, .. var rest] when GpuFields.Contains(string.Join('.', rest)):
                if (sites is not null && !sites.Contains(site))
                {
                    error = $"no site named '{site}' in the topology; sites are {string.Join(", ", sites)}";
                    return null;
                }
                return Ok(ValueUnit.Number, rest[0] == "totalGpus" ? null : $"site.{site}.totalGpus");
        }
        error = $"'{text}' is not a known metric; metrics are interruptions, goodput, job[.NAME].(goodput|interruptions|lostWork|downtime|running), " +
            "recovery.(count|mean|p50|p95|p99|max), events.(recorded|lost), faults.(injected|rejected|active), " +
            "security.(flows|allowed|blocked|crossTenantAllowed|exfiltrationDetected|detectionDelay), " +
            "site.NAME.(usableGpus|usableGpus.min|totalGpus), factory.(usableGpus|usableGpus.min|totalGpus)";
        return null;
    }
}
