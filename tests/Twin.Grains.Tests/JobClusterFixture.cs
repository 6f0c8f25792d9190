namespace Twin.Grains.Tests;

/// <summary>
/// A cluster of its own for jobs: event times here run ahead of the other tests' and traffic in flight
/// is judged against the coordinators' event-time clocks, so the two must not share coordinators.
/// Both sites have storage (80 GB/s of reads each) so checkpoints can be restored anywhere; the DCI
/// (2 × 400G) is thinner per DP group than a GPU's NIC, as between real sites.
/// </summary>
public sealed class JobClusterFixture : TwinClusterFixture<JobClusterFixture.Sites>
{
    private int _epochs;

    /// <summary>
    /// A start time later than any earlier test's: coordinators and the registry's restore schedules live in
    /// event time and treat an older notice as late, so each test gets its own month, in the order tests run.
    /// </summary>
    public DateTimeOffset NextEpoch() =>
        new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(31 * Interlocked.Increment(ref _epochs));

    public sealed class Sites : ITestTopology
    {
        public static string Yaml => """
            name: jobs
            sites:
              - name: east
                hosts: 8
                gpusPerHost: 8
                nicGbps: 400
                fabric: { radix: 16 }
                storage:
                  - { tier: hot, nodes: 2, capacityTB: 100, readGBps: 40, writeGBps: 20 }
              - name: west
                hosts: 8
                gpusPerHost: 8
                nicGbps: 400
                fabric: { radix: 16 }
                storage:
                  - { tier: hot, nodes: 2, capacityTB: 100, readGBps: 40, writeGBps: 20 }
            dci:
              - { a: east, b: west, distanceKm: 600, bandwidthGbps: 400, links: 2 }
            """;
    }
}

[CollectionDefinition(Name)]
public sealed class JobCollection : ICollectionFixture<JobClusterFixture>
{
    public const string Name = "jobs";
}
