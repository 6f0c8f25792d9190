using Twin.Model.Reliability;

namespace Twin.Model.Scenarios;

/// <summary>
/// How a failure cause of a published profile becomes something the twin can inject. GPU causes become GPU
/// faults (XID 79 fallen off the bus, HBM errors, XID 48 for SRAM ECC, XID 119 GSP timeout); network
/// switch/cable and NIC a link going down; host-level parts (unplanned maintenance, PSU, chassis, CPU, memory,
/// IO board) a host power loss; SSD a storage node; software, NCCL watchdog, silent data corruption and
/// dependencies a <c>job-crash</c>, which stops the job with no device failing.
/// </summary>
public static class FailureCauses
{
    /// <summary>The software fault kind: interrupts a job (target: job name or id) without touching a device.</summary>
    public const string JobCrash = "job-crash";

    // Declared before Defaults: static initialisers run in text order.
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    /// <summary>Default fault kind and parameters for each Llama 3 cause.</summary>
    public static IReadOnlyDictionary<string, (string Kind, IReadOnlyDictionary<string, string> Parameters)> Defaults { get; } =
        new Dictionary<string, (string, IReadOnlyDictionary<string, string>)>(StringComparer.Ordinal)
        {
            ["faulty-gpu"] = ("gpu-xid", Xid(79)),
            ["gpu-hbm3"] = ("hbm-error", None),
            ["gpu-sram"] = ("gpu-xid", Xid(48)),
            ["gpu-system-processor"] = ("gpu-xid", Xid(119)),
            ["gpu-thermal-interface-sensor"] = ("gpu-thermal", new Dictionary<string, string> { ["temperatureC"] = "96" }),
            ["network-switch-cable"] = ("link-down", None),
            ["nic"] = ("link-down", None),
            ["host-maintenance"] = ("host-power-loss", None),
            ["power-supply"] = ("host-power-loss", None),
            ["server-chassis"] = ("host-power-loss", None),
            ["io-expansion-board"] = ("host-power-loss", None),
            ["cpu"] = ("host-power-loss", None),
            ["system-memory"] = ("host-power-loss", None),
            ["ssd"] = ("storage-down", None),
            ["software-bug"] = (JobCrash, None),
            ["nccl-watchdog-timeout"] = (JobCrash, None),
            ["silent-data-corruption"] = (JobCrash, None),
            ["dependency"] = (JobCrash, None),
        };

    /// <summary>Profiles a scenario may name under <c>failures[].profile</c>.</summary>
    public static IReadOnlyDictionary<string, FailureProfile> Profiles { get; } = new Dictionary<string, FailureProfile>(StringComparer.Ordinal)
    {
        ["llama3"] = FailureProfile.Llama3_405B,
    };

    /// <summary>Whether the scenario engine can inject this kind (the twin's fault kinds plus <see cref="JobCrash"/>).</summary>
    public static bool IsKnownKind(string kind) => kind == JobCrash || Faults.FaultKinds.Find(kind) is not null;

    public static string KnownKinds => string.Join(", ", Faults.FaultKinds.All.Select(k => k.Name).Append(JobCrash));

    private static Dictionary<string, string> Xid(int xid) => new() { ["xid"] = xid.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
