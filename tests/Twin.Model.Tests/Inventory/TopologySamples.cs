using Twin.Model.Inventory.Import;
using Twin.Model.Tests.Scenarios;

namespace Twin.Model.Tests.Inventory;

/// <summary>The real public topology samples, read in place from the shared test data next to the repository.</summary>
internal static class TopologySamples
{
    public static string PathOf(string relative) =>
        Path.GetFullPath(Path.Combine(ScenarioFiles.Repo(".."), "shared", "testdata", "topology", relative));

    public static ImportFile File(string relative) => ImportFile.FromBytes(Path.GetFileName(relative), System.IO.File.ReadAllBytes(PathOf(relative)));

    public static ImportResult Import(InventoryFormat format, string site, params string[] files) =>
        InventoryImporter.Parse(format, files.Select(File).ToList(), site);
}
