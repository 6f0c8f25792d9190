using Microsoft.Extensions.Logging;

namespace Twin.Grains.Events;

internal static partial class EventLogLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Event store unreachable ({Error}): {Count} events held in memory until it answers")]
    public static partial void StoreAway(ILogger logger, int count, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event store reachable again: held events stored, history at {Last}")]
    public static partial void CaughtUp(ILogger logger, long last);
}
