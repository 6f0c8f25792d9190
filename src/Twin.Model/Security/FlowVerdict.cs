namespace Twin.Model.Security;

/// <summary>
/// A DPU's decision on a flow: allowed or not, why (the rule, the limit, the detector), and the source's egress in
/// the exfiltration window when the flow counted towards it.
/// </summary>
public sealed record FlowVerdict(bool Allowed, string Reason, int? Rule = null, bool ExfiltrationSuspected = false, double EgressBytesInWindow = 0);
