using Microsoft.Extensions.Logging;

namespace Twin.Api.Resilience;

internal static partial class ResilienceLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path}: {Cause} ({Error}); trying the read once more")]
    public static partial void RetryingRead(ILogger logger, string method, string? path, TransientCause cause, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: {Cause} ({Error}); answered 503")]
    public static partial void Unavailable(ILogger logger, string method, string? path, TransientCause cause, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path}: {Cause} ({Error}) after the response started; ended it so the client resumes")]
    public static partial void EndedStarted(ILogger logger, string method, string? path, TransientCause cause, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Idempotency-Key {Key}: the answer could not be stored ({Error}); a retry may run the request again")]
    public static partial void AnswerNotStored(ILogger logger, string key, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: {InFlight} requests in flight, {Streams} event streams closed")]
    public static partial void Draining(ILogger logger, int inFlight, int streams);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained in {Milliseconds} ms ({Left} requests still in flight)")]
    public static partial void Drained(ILogger logger, long milliseconds, int left);
}
