namespace Twin.Model.Outcomes;

/// <summary>
/// Why the factory refused a request, in the domain's words. Grains answer with it; the REST API alone turns
/// it into an HTTP status (400, 404, 409).
/// </summary>
public enum Refusal : byte
{
    /// <summary>The request is malformed or asks for something the factory cannot be (a field is wrong).</summary>
    Invalid,

    /// <summary>It names a device, site, fault or workload the factory does not have.</summary>
    NotFound,

    /// <summary>Well formed, but not enough free, usable GPUs for it now.</summary>
    NoCapacity,

    /// <summary>It contradicts the current state (a fault already repaired, a duplicate).</summary>
    Conflict,
}
