namespace Twin.Tests.Shared;

/// <summary>Files of the repository (topologies, scenarios), found by walking up from the test binaries to Twin.sln.</summary>
public static class RepoPaths
{
    public static string File(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "Twin.sln")))
        {
            dir = dir.Parent;
        }
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), relative);
    }
}
