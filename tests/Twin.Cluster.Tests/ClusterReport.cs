namespace Twin.Cluster.Tests;

/// <summary>Figures a cluster test measured: to the test output for people, and the console so they show in a plain <c>dotnet test</c> run too.</summary>
public static class ClusterReport
{
    public static void Line(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Console.WriteLine(line);
    }
}
