using Twin.Model.Scenarios;

namespace Twin.Model.Tests.Scenarios;

/// <summary>Finds repository files from the test's output folder and parses inline scenarios as if they sat in scenarios/faults.</summary>
internal static class ScenarioFiles
{
    public static string Repo(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Twin.sln")))
        {
            dir = dir.Parent;
        }
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), relative);
    }

    public static string FaultsFolder => Repo(Path.Combine("scenarios", "faults"));

    public static ScenarioSpec Parse(string yaml) => ScenarioLoader.Parse(yaml, "test.yaml", FaultsFolder);

    public static ScenarioException Errors(string yaml) => Assert.Throws<ScenarioException>(() => Parse(yaml));
}
