using System.Globalization;
using Twin.Model.Devices;
using Twin.Model.Fabric;
using Twin.Model.Faults;
using Twin.Model.Time;
using Twin.Model.Topology;
using Twin.Model.Workloads;
using YamlDotNet.RepresentationModel;

namespace Twin.Model.Scenarios;

/// <summary>
/// Parses a fault-injection scenario (<c>scenarios/faults/*.yaml</c>) into a <see cref="ScenarioSpec"/>. Like
/// <see cref="TopologyLoader"/> it reads the whole file, rejects unknown fields, and throws one
/// <see cref="ScenarioException"/> listing every problem with its line and field. The topology is resolved
/// against the scenario's folder and read, so site names in jobs, selectors and expectations are checked too.
/// </summary>
public static class ScenarioLoader
{
    public static ScenarioSpec LoadFile(string path) =>
        Parse(File.ReadAllText(path), path, Path.GetDirectoryName(Path.GetFullPath(path)));

    /// <param name="yaml">The scenario text.</param>
    /// <param name="source">Name used in the exception message (the file path).</param>
    /// <param name="baseDirectory">Folder that relative topology paths start from; null = the current directory.</param>
    public static ScenarioSpec Parse(string yaml, string source = "scenario", string? baseDirectory = null)
    {
        var raw = new List<TopologyError>();
        var root = YamlFields.LoadRoot(yaml, raw);
        if (root is null)
        {
            throw new ScenarioException(source, Convert(raw));
        }
        var doc = new YamlFields(root, "", raw);
        var name = doc.String("name");
        var description = doc.Find("description") is YamlScalarNode { Value: { } d } ? d : null;
        var topologyText = doc.String("topology");
        var (topologyPath, sites) = ResolveTopology(doc, topologyText, baseDirectory ?? Directory.GetCurrentDirectory());
        var duration = Duration(doc, "duration", null, positive: true) ?? TimeSpan.FromHours(1);
        var seed = doc.Integer("seed", 1, int.MinValue, int.MaxValue);
        var start = Start(doc);
        var samples = doc.Integer("samples", 200, 2, 100_000);

        var jobs = doc.List("workloads", required: false).Select(w => ReadJob(w, sites)).ToList();
        var jobNames = jobs.Select(j => j.Job.Name).ToList();
        var ctx = new Context(jobNames, sites, duration, raw);
        CheckUnique(jobs.Select(j => (j.Job.Name, j.At)), doc, "workloads");

        var faults = new List<ScheduledFault>();
        foreach (var f in doc.List("faults", required: false))
        {
            faults.Add(ReadFault(f, ctx, faults));
        }
        var failures = doc.List("failures", required: false).Select((f, i) => ReadFailure(f, i, ctx)).ToList();
        var repair = ReadRepair(doc.Map("repair", required: false), raw);
        var security = ScenarioSecurityLoader.Read(doc.Map("security", required: false), duration);
        var expectations = ReadExpectations(doc, ctx);
        doc.RejectUnknown();

        if (raw.Count > 0)
        {
            throw new ScenarioException(source, Convert(raw));
        }
        return new ScenarioSpec
        {
            Name = name,
            Description = description,
            Topology = topologyText,
            TopologyPath = topologyPath,
            Duration = duration,
            Seed = seed,
            Security = security,
            Start = start,
            Samples = samples,
            Workloads = jobs,
            Faults = faults,
            Failures = failures,
            Repair = repair,
            Expectations = expectations,
        };
    }

    // Errors is the list every YamlFields of this file writes to, for readers of free-form nested mappings.
    private sealed record Context(IReadOnlyList<string> Jobs, IReadOnlyList<string>? Sites, TimeSpan Duration, List<TopologyError> Errors);

    private static List<ScenarioError> Convert(List<TopologyError> errors) =>
        errors.Select(e => new ScenarioError(e.Line, e.Column, e.Field, e.Message)).ToList();

    /// <summary>
    /// A value with '/' or a .yaml suffix is a path from the scenario's folder; a bare name is looked up as
    /// <c>../topologies/NAME.yaml</c>, then as <c>scenarios/topologies/NAME.yaml</c> in the folder or any parent.
    /// </summary>
    private static (string? Path, IReadOnlyList<string>? Sites) ResolveTopology(YamlFields doc, string text, string baseDirectory)
    {
        if (text.Length == 0)
        {
            return (null, null);
        }
        var isPath = text.Contains('/') || text.Contains('\\') || text.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) ||
            text.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
        var candidates = new List<string>();
        if (isPath)
        {
            candidates.Add(Path.GetFullPath(Path.Combine(baseDirectory, text)));
        }
        else
        {
            candidates.Add(Path.GetFullPath(Path.Combine(baseDirectory, "..", "topologies", text + ".yaml")));
            for (var dir = new DirectoryInfo(baseDirectory); dir is not null; dir = dir.Parent)
            {
                candidates.Add(Path.Combine(dir.FullName, "scenarios", "topologies", text + ".yaml"));
            }
        }
        var path = candidates.FirstOrDefault(File.Exists);
        var node = doc.Find("topology")!;
        if (path is null)
        {
            doc.Error(node, "topology", $"no topology file '{text}' (looked for {candidates[0]})");
            return (null, null);
        }
        try
        {
            return (path, TopologyLoader.LoadFile(path).Sites.Select(s => s.Name).ToList());
        }
        catch (TopologyException e)
        {
            doc.Error(node, "topology", $"{Path.GetFileName(path)} is not a valid topology: {e.Errors[0]}");
            return (path, null);
        }
    }

    private static DateTimeOffset Start(YamlFields doc)
    {
        if (doc.Find("start") is not { } node)
        {
            return ScenarioSpec.DefaultStart;
        }
        if (node is YamlScalarNode { Value: { } text } &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var start))
        {
            return start;
        }
        doc.Error(node, "start", "must be an ISO 8601 time such as 2026-01-01T00:00:00Z");
        return ScenarioSpec.DefaultStart;
    }

    private static TimeSpan? Duration(YamlFields f, string key, TimeSpan? fallback, bool positive, bool required = true)
    {
        var node = f.Find(key);
        if (node is null)
        {
            if (fallback is null && required)
            {
                f.Error(f.Node, f.Field(key), "is required");
            }
            return fallback;
        }
        if (node is YamlScalarNode { Value: { } text } && DurationText.TryParse(text, out var value))
        {
            if (value < TimeSpan.Zero || (positive && value == TimeSpan.Zero))
            {
                f.Error(node, f.Field(key), $"'{text}' must be {(positive ? "positive" : "zero or more")}");
                return fallback;
            }
            return value;
        }
        f.Error(node, f.Field(key), "must be a duration such as 90s, 15m, 6h or 54d");
        return fallback;
    }

    private static string? OptionalString(YamlFields f, string key)
    {
        var node = f.Find(key);
        if (node is null)
        {
            return null;
        }
        if (node is YamlScalarNode { Value: { Length: > 0 } s })
        {
            return s;
        }
        f.Error(node, f.Field(key), "must be a non-empty string");
        return null;
    }

    private delegate bool PolicyParser<T>(string? text, out T value);

    private static T Policy<T>(YamlFields f, string key, T fallback, PolicyParser<T> parse) where T : struct, Enum
    {
        var text = OptionalString(f, key);
        if (text is null)
        {
            return fallback;
        }
        if (!parse(text, out var value))
        {
            f.Error(f.Find(key)!, f.Field(key), $"must be one of {string.Join(", ", Enum.GetValues<T>().Select(v => v.ToString().ToLowerInvariant()))}");
            return fallback;
        }
        return value;
    }

    private static void CheckSite(YamlFields f, string key, YamlNode node, string site, IReadOnlyList<string>? sites)
    {
        if (sites is not null && !sites.Contains(site))
        {
            f.Error(node, f.Field(key), $"no site named '{site}' in the topology; sites are {string.Join(", ", sites)}");
        }
    }

    private static bool IsName(string s) =>
        s.Length > 0 && char.IsAsciiLetterLower(s[0]) && s.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    private static void CheckUnique(IEnumerable<(string Name, TimeSpan _)> items, YamlFields doc, string field)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (n, _) in items)
        {
            if (n.Length > 0 && !seen.Add(n))
            {
                doc.Error(doc.Find(field)!, field, $"workload '{n}' is defined twice");
            }
        }
    }

    private static ScenarioJob ReadJob(YamlFields w, IReadOnlyList<string>? sites)
    {
        var name = w.String("name");
        if (name.Length > 0 && !IsName(name))
        {
            w.Error(w.Find("name")!, w.Field("name"), "must be lower-case letters, digits and '-'");
        }
        var gpus = w.Integer("gpus", null, 1, 10_000_000);
        var jobSites = new List<string>();
        switch (w.Find("sites"))
        {
            case null:
                break;
            case YamlScalarNode { Value: { Length: > 0 } one } n:
                jobSites.Add(one);
                CheckSite(w, "sites", n, one, sites);
                break;
            case YamlSequenceNode seq:
                foreach (var item in seq.Children)
                {
                    if (item is YamlScalarNode { Value: { Length: > 0 } s })
                    {
                        jobSites.Add(s);
                        CheckSite(w, "sites", item, s, sites);
                    }
                    else
                    {
                        w.Error(item, w.Field("sites"), "must be a site name");
                    }
                }
                break;
            case var other:
                w.Error(other, w.Field("sites"), "must be a site name or a list of site names");
                break;
        }
        var tp = w.Integer("tp", TrainingJobSpec.DefaultTp, 1, 1024);
        var pp = w.Integer("pp", 1, 1, 1024);
        var dpNode = w.Find("dp");
        var dp = dpNode is null ? TrainingJobSpec.DefaultDp(gpus, tp, pp) : w.Integer("dp", null, 1, 10_000_000);
        var modelParams = w.Number("modelParams", 70e9, 1e6, 1e14);
        var tokens = w.Number("tokensPerStep", 4e6, 1, 1e12);
        var ck = w.Map("checkpoint", required: false);
        var interval = TimeSpan.FromMinutes(30);
        var size = 1000.0;
        if (ck is not null)
        {
            interval = Duration(ck, "interval", interval, positive: true)!.Value;
            size = ck.Number("sizeGB", size, 0.001, 1e7);
            ck.RejectUnknown();
        }
        var onFailure = Policy(w, "onFailure", FailurePolicy.Spares, JobPolicies.TryParse);
        var onDciCut = Policy(w, "onDciCut", DciCutPolicy.Stop, JobPolicies.TryParse);
        double? overlap = w.Find("overlap") is null ? null : w.Number("overlap", null, 0, 1);
        var sync = w.Integer("syncEverySteps", 1, 1, 1_000_000);
        var hierarchical = w.Boolean("hierarchical", true);
        var at = Duration(w, "at", TimeSpan.Zero, positive: false)!.Value;
        w.RejectUnknown();
        var job = new TrainingJobSpec
        {
            Name = name,
            Gpus = gpus,
            Sites = jobSites,
            Tp = tp,
            Pp = pp,
            Dp = dp,
            ModelParams = modelParams,
            TokensPerStep = tokens,
            CheckpointInterval = interval,
            CheckpointSizeGB = size,
            OnFailure = onFailure,
            OnDciCut = onDciCut,
            Overlap = overlap,
            SyncEverySteps = sync,
            Hierarchical = hierarchical,
        };
        // the rules REST applies too; sites were checked where each is named, with its line
        foreach (var error in job.Validate(sites ?? jobSites).Where(e => e.Field != "sites"))
        {
            var node = error.Field == "parallelism" ? dpNode ?? w.Find("gpus") : w.Find(error.Field.Split('.')[^1]);
            w.Error(node ?? w.Node, w.Field(error.Field == "parallelism" ? dpNode is null ? "gpus" : "dp" : error.Field), error.Message);
        }
        return new ScenarioJob(job, at);
    }

    private static ScheduledFault ReadFault(YamlFields f, Context ctx, List<ScheduledFault> earlier)
    {
        var name = OptionalString(f, "name");
        var at = Duration(f, "at", null, positive: false) ?? TimeSpan.Zero;
        if (at > ctx.Duration)
        {
            f.Error(f.Find("at")!, f.Field("at"), $"{DurationText.Format(at)} is after the end of the scenario ({DurationText.Format(ctx.Duration)})");
        }
        var kind = f.String("kind");
        var faultKind = FaultKinds.Find(kind);
        if (kind.Length > 0 && !FailureCauses.IsKnownKind(kind))
        {
            f.Error(f.Find("kind")!, f.Field("kind"), $"'{kind}' is not a fault kind; kinds are {FailureCauses.KnownKinds}");
        }
        var target = OptionalString(f, "target");
        var sameAs = OptionalString(f, "sameAs");
        var selectorFields = f.Map("selector", required: false);
        TargetSelector? selector = null;
        if (selectorFields is not null)
        {
            selector = ReadSelector(selectorFields, faultKind, kind, ctx);
        }
        var given = (target is null ? 0 : 1) + (f.Find("selector") is null ? 0 : 1) + (sameAs is null ? 0 : 1);
        if (given != 1)
        {
            f.Error(f.Node, f.Path, given == 0 ? "needs a target, a selector or sameAs" : "give only one of target, selector and sameAs");
        }
        if (sameAs is not null && earlier.All(e => e.Name != sameAs))
        {
            f.Error(f.Find("sameAs")!, f.Field("sameAs"), $"no earlier fault named '{sameAs}'");
        }
        if (kind == FailureCauses.JobCrash && target is not null && !ctx.Jobs.Contains(target))
        {
            f.Error(f.Find("target")!, f.Field("target"), $"a job-crash targets a workload; no workload named '{target}'");
        }
        if (faultKind?.Target == FaultTarget.Site && target is not null)
        {
            CheckSite(f, "target", f.Find("target")!, target, ctx.Sites);
        }
        var (pick, count) = ReadPick(f);
        var parameters = ReadParameters(f, "parameters");
        if (kind == "gpu-xid" && !parameters.ContainsKey("xid"))
        {
            f.Error(f.Find("parameters") ?? f.Node, f.Field("parameters.xid"), "gpu-xid needs parameters.xid, such as 79");
        }
        var repair = Duration(f, "repairAfter", null, positive: true, required: false);
        if (f.Find("duration") is not null)
        {
            if (repair is not null)
            {
                f.Error(f.Find("duration")!, f.Field("duration"), "give duration or repairAfter, not both");
            }
            repair = Duration(f, "duration", null, positive: true, required: false);
        }
        f.RejectUnknown();
        return new ScheduledFault
        {
            Name = name,
            At = at,
            Kind = kind,
            Target = target,
            Selector = selector,
            SameAs = sameAs,
            Pick = pick,
            PickCount = count,
            Parameters = parameters,
            RepairAfter = repair,
            Line = (int)f.Node.Start.Line,
        };
    }

    private static (PickMode, int) ReadPick(YamlFields f)
    {
        if (f.Find("pick") is not { } node)
        {
            return (PickMode.Any, 1);
        }
        switch (node)
        {
            case YamlScalarNode { Value: "any" }:
                return (PickMode.Any, 1);
            case YamlScalarNode { Value: "all" }:
                return (PickMode.All, 0);
            case YamlScalarNode { Value: { } text } when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 1:
                return (PickMode.Count, n);
            default:
                f.Error(node, f.Field("pick"), "must be any, all or a positive whole number");
                return (PickMode.Any, 1);
        }
    }

    private static TargetSelector ReadSelector(YamlFields s, FaultKind? faultKind, string kind, Context ctx)
    {
        var site = OptionalString(s, "site");
        if (site is not null)
        {
            CheckSite(s, "site", s.Find("site")!, site, ctx.Sites);
        }
        var defaultKind = faultKind?.Target switch
        {
            FaultTarget.Link => DeviceKind.Link,
            FaultTarget.Switch => DeviceKind.Switch,
            FaultTarget.Storage => DeviceKind.Storage,
            FaultTarget.Dpu => DeviceKind.Dpu,
            FaultTarget.Dci => DeviceKind.Dci,
            _ => DeviceKind.Gpu,
        };
        var deviceKind = defaultKind;
        if (s.Find("kind") is { } kindNode)
        {
            if (kindNode is YamlScalarNode { Value: { } k } && DeviceKinds.TryParseKind(k, out var parsed))
            {
                deviceKind = parsed;
                if (faultKind is not null && faultKind.Target != FaultTarget.Site && !faultKind.Target.Accepts(parsed))
                {
                    s.Error(kindNode, s.Field("kind"), $"a {kind} fault targets a {faultKind.Target.ToString().ToLowerInvariant()}, not a {k}");
                }
            }
            else
            {
                s.Error(kindNode, s.Field("kind"), "must be one of gpu, switch, link, storage, dpu, dci");
            }
        }
        var tier = OptionalString(s, "tier");
        if (tier is not null && tier is not ("leaf" or "spine" or "core" or "gpu-leaf" or "leaf-spine" or "spine-core" or "hot" or "capacity"))
        {
            s.Error(s.Find("tier")!, s.Field("tier"), "must be one of leaf, spine, core (switches), gpu-leaf, leaf-spine, spine-core (links), hot, capacity (storage)");
        }
        OpticType? optics = s.Find("optics") is null ? null : s.Enum<OpticType>("optics", null);
        var job = OptionalString(s, "job");
        if (job is not null && !ctx.Jobs.Contains(job))
        {
            s.Error(s.Find("job")!, s.Field("job"), $"no workload named '{job}'");
        }
        if (kind == FailureCauses.JobCrash && job is null)
        {
            s.Error(s.Node, s.Path, "a job-crash selector names the job (selector.job)");
        }
        if (faultKind?.Target == FaultTarget.Site && site is null)
        {
            s.Error(s.Node, s.Path, $"a {kind} selector names the site (selector.site)");
        }
        s.RejectUnknown();
        return new TargetSelector(deviceKind, site, tier, optics, job);
    }

    private static Dictionary<string, string> ReadParameters(YamlFields f, string key)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (f.Find(key))
        {
            case null:
                return result;
            case YamlMappingNode map:
                foreach (var (k, v) in map.Children)
                {
                    if (k is YamlScalarNode { Value: { } name } && v is YamlScalarNode { Value: { } value })
                    {
                        result[name] = value;
                    }
                    else
                    {
                        f.Error(v, f.Field(key), "parameters are name: value pairs");
                    }
                }
                if (new FaultParameters(result).FirstInvalid() is { } bad)
                {
                    f.Error(map, f.Field($"{key}.{bad}"), "must be a number");
                }
                return result;
            case var other:
                f.Error(other, f.Field(key), "must be a mapping of name: value");
                return result;
        }
    }

    private static FailureProcess ReadFailure(YamlFields f, int index, Context ctx)
    {
        var name = OptionalString(f, "name") ?? $"failures-{index + 1}";
        var job = OptionalString(f, "job");
        var site = OptionalString(f, "site");
        if (job is not null && !ctx.Jobs.Contains(job))
        {
            f.Error(f.Find("job")!, f.Field("job"), $"no workload named '{job}'");
        }
        if (site is not null)
        {
            CheckSite(f, "site", f.Find("site")!, site, ctx.Sites);
        }
        if ((job is null) == (site is null))
        {
            f.Error(f.Node, f.Path, "give job (failures hit the job's placement) or site (failures hit the site's devices), one of them");
        }
        var profileName = OptionalString(f, "profile");
        Reliability.FailureProfile? profile = null;
        if (profileName is not null && !FailureCauses.Profiles.TryGetValue(profileName, out profile))
        {
            f.Error(f.Find("profile")!, f.Field("profile"), $"'{profileName}' is not a profile; profiles are {string.Join(", ", FailureCauses.Profiles.Keys)}");
        }
        var rateNode = f.Find("ratePerGpuHour");
        double? rate = rateNode is null ? null : f.Number("ratePerGpuHour", null, 0, 1);
        var scale = f.Number("scale", 1, 0, 1e6);

        // Causes start from the profile's mix and default kinds; the file may re-map or add causes.
        var causes = new List<(string Cause, double Weight, double? Rate, string Kind, IReadOnlyDictionary<string, string> Parameters)>();
        if (profile is not null)
        {
            foreach (var c in profile.Causes)
            {
                var (k, p) = FailureCauses.Defaults.TryGetValue(c.Name, out var d) ? d : (FailureCauses.JobCrash, new Dictionary<string, string>());
                causes.Add((c.Name, c.Count, null, k, p));
            }
        }
        if (f.Find("causes") is { } causesNode)
        {
            if (causesNode is not YamlMappingNode map)
            {
                f.Error(causesNode, f.Field("causes"), "must be a mapping of cause: fault kind");
            }
            else
            {
                foreach (var (k, v) in map.Children)
                {
                    var cause = ((YamlScalarNode)k).Value ?? "";
                    var field = f.Field($"causes.{cause}");
                    var existing = causes.FindIndex(c => c.Cause == cause);
                    double weight = existing >= 0 ? causes[existing].Weight : 1;
                    double? causeRate = null;
                    string kind;
                    IReadOnlyDictionary<string, string> parameters = existing >= 0 ? causes[existing].Parameters : new Dictionary<string, string>();
                    if (v is YamlScalarNode { Value: { } kindText })
                    {
                        kind = kindText;
                        if (existing < 0 || kind != causes[existing].Kind)
                        {
                            parameters = new Dictionary<string, string>();
                        }
                    }
                    else if (v is YamlMappingNode)
                    {
                        var c = new YamlFields((YamlMappingNode)v, field, ctx.Errors);
                        kind = c.String("kind");
                        weight = c.Number("weight", weight, 0, 1e9);
                        causeRate = c.Find("ratePerGpuHour") is null ? null : c.Number("ratePerGpuHour", null, 0, 1);
                        parameters = c.Find("parameters") is null ? parameters : ReadParameters(c, "parameters");
                        c.RejectUnknown();
                    }
                    else
                    {
                        f.Error(v, field, "must be a fault kind or {kind, weight, ratePerGpuHour, parameters}");
                        continue;
                    }
                    if (!FailureCauses.IsKnownKind(kind))
                    {
                        f.Error(v, field, $"'{kind}' is not a fault kind; kinds are {FailureCauses.KnownKinds}");
                    }
                    else if (kind == "gpu-xid" && !parameters.ContainsKey("xid"))
                    {
                        parameters = new Dictionary<string, string> { ["xid"] = "79" };
                    }
                    if (FaultKinds.Find(kind)?.Target == FaultTarget.Site)
                    {
                        f.Error(v, field, "a random failure cannot take a whole site down; schedule site faults under faults:");
                    }
                    var entry = (cause, weight, causeRate, kind, parameters);
                    if (existing >= 0)
                    {
                        causes[existing] = entry;
                    }
                    else
                    {
                        causes.Add(entry);
                    }
                }
            }
        }
        f.RejectUnknown();

        var perComponent = causes.Any(c => c.Rate is not null);
        double total;
        if (perComponent)
        {
            if (profile is not null || rate is not null || causes.Any(c => c.Rate is null))
            {
                f.Error(f.Find("causes") ?? f.Node, f.Field("causes"),
                    "per-cause ratePerGpuHour replaces the profile and the process rate: give it for every cause, without profile or ratePerGpuHour");
            }
            total = causes.Sum(c => c.Rate ?? 0);
        }
        else
        {
            total = rate ?? profile?.FailuresPerGpuHour() ?? 0;
            if (rate is null && profile is null)
            {
                f.Error(f.Node, f.Path, "needs a profile (llama3), a ratePerGpuHour, or a ratePerGpuHour per cause");
            }
        }
        if (causes.Count == 0)
        {
            f.Error(f.Node, f.Field("causes"), "needs at least one cause (or a profile)");
        }
        var weightSum = perComponent ? total : causes.Sum(c => c.Weight);
        var rules = causes
            .Select(c => new FailureCauseRule(c.Cause, weightSum > 0 ? (perComponent ? c.Rate ?? 0 : c.Weight) / weightSum : 0, c.Kind, c.Parameters))
            .ToList();
        return new FailureProcess
        {
            Name = name,
            Job = job,
            Site = site,
            Profile = profileName,
            RatePerGpuHour = total * scale,
            Causes = rules,
        };
    }

    private static RepairPolicy ReadRepair(YamlFields? r, List<TopologyError> errors)
    {
        if (r is null)
        {
            return RepairPolicy.Default;
        }
        var byKind = new Dictionary<string, RepairTime>(RepairPolicy.Default.ByKind, StringComparer.Ordinal);
        var otherwise = RepairPolicy.Default.Otherwise;
        foreach (var (k, _) in r.Node.Children)
        {
            var kind = ((YamlScalarNode)k).Value ?? "";
            if (kind != "default" && !FailureCauses.IsKnownKind(kind))
            {
                r.Error(k, r.Field(kind), $"'{kind}' is not a fault kind (or 'default'); kinds are {FailureCauses.KnownKinds}");
                r.Find(kind);
                continue;
            }
            if (ReadRepairTime(r, kind, errors) is { } time)
            {
                if (kind == "default")
                {
                    otherwise = time;
                }
                else
                {
                    byKind[kind] = time;
                }
            }
        }
        r.RejectUnknown();
        return new RepairPolicy(byKind, otherwise);
    }

    private static RepairTime? ReadRepairTime(YamlFields r, string key, List<TopologyError> errors)
    {
        var node = r.Find(key)!;
        if (node is YamlScalarNode)
        {
            return Duration(r, key, null, positive: true) is { } fixedTime ? new RepairTime(fixedTime, false) : null;
        }
        if (node is YamlMappingNode map)
        {
            var m = new YamlFields(map, r.Field(key), errors);
            var hasFixed = m.Find("fixed") is not null;
            var hasExp = m.Find("exponential") is not null;
            if (hasFixed == hasExp)
            {
                m.Error(map, m.Path, "give fixed: DURATION or exponential: MEAN");
                m.RejectUnknown();
                return null;
            }
            var mean = Duration(m, hasFixed ? "fixed" : "exponential", null, positive: true);
            m.RejectUnknown();
            return mean is { } t ? new RepairTime(t, hasExp) : null;
        }
        r.Error(node, r.Field(key), "must be a duration (4h) or {fixed: 4h} / {exponential: 4h}");
        return null;
    }

    private static List<Expectation> ReadExpectations(YamlFields doc, Context ctx)
    {
        var result = new List<Expectation>();
        switch (doc.Find("expectations"))
        {
            case null:
                return result;
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    var item = seq.Children[i];
                    if (item is not YamlScalarNode { Value: { Length: > 0 } text })
                    {
                        doc.Error(item, $"expectations[{i}]", "must be a text such as 'job.goodput >= 0.9'");
                        continue;
                    }
                    var e = ExpectationParser.Parse(text, ctx.Jobs, ctx.Sites, out var error);
                    if (e is null)
                    {
                        doc.Error(item, $"expectations[{i}]", error ?? "cannot be parsed");
                    }
                    else
                    {
                        result.Add(e);
                    }
                }
                return result;
            case var other:
                doc.Error(other, "expectations", "must be a list of texts");
                return result;
        }
    }

}
