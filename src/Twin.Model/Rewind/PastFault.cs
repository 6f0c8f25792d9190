using Twin.Model.Faults;

namespace Twin.Model.Rewind;

/// <summary>A fault as history keeps it: what was asked for, when it began and, if it has, when it was repaired.</summary>
public sealed record PastFault(string Id, FaultRequest Request, DateTimeOffset At, DateTimeOffset? RepairedAt)
{
    public bool ActiveAt(DateTimeOffset t) => At <= t && (RepairedAt is not { } repaired || t < repaired);
}
