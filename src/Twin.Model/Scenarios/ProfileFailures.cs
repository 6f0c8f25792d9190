using Twin.Model.Reliability;

namespace Twin.Model.Scenarios;

/// <summary>A random failure process with a published profile's rate and cause mix, each cause as its default fault kind.</summary>
public static class ProfileFailures
{
    public static FailureProcess For(string name, FailureProfile profile, string? job = null, string? site = null)
    {
        var total = (double)profile.Causes.Sum(c => c.Count);
        return new FailureProcess
        {
            Name = name,
            Job = job,
            Site = site,
            Profile = profile.Name,
            RatePerGpuHour = profile.FailuresPerGpuHour(),
            Causes = [.. profile.Causes.Select(c =>
            {
                var (kind, parameters) = FailureCauses.Defaults.TryGetValue(c.Name, out var d) ? d : (FailureCauses.JobCrash, new Dictionary<string, string>());
                return new FailureCauseRule(c.Name, c.Count / total, kind, parameters);
            })],
        };
    }
}
