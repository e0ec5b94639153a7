using Microsoft.Extensions.Logging;

namespace Taskmaster.Supervision;

/// <summary>The activity log lines of readiness and liveness checks; stable event ids (180-189).</summary>
internal static partial class HealthLog
{
    [LoggerMessage(EventId = 180, Level = LogLevel.Information,
        Message = "success: {Name} entered RUNNING state, readiness check passed ({Check})")]
    public static partial void Ready(ILogger logger, string name, string check);

    [LoggerMessage(EventId = 181, Level = LogLevel.Warning,
        Message = "not ready: {Name} did not pass its readiness check within {Seconds} seconds (startsecs): {Reason}; killing it")]
    public static partial void NotReadyInTime(ILogger logger, string name, int seconds, string reason);

    [LoggerMessage(EventId = 182, Level = LogLevel.Warning, Message = "not ready: {Name} failed its readiness check {Count} times in a row: {Reason}")]
    public static partial void NoLongerReady(ILogger logger, string name, int count, string reason);

    [LoggerMessage(EventId = 183, Level = LogLevel.Information, Message = "ready: {Name} passes its readiness check again")]
    public static partial void ReadyAgain(ILogger logger, string name);

    [LoggerMessage(EventId = 184, Level = LogLevel.Warning,
        Message = "unhealthy: {Name} failed its liveness check {Count} times in a row: {Reason}; {Action}")]
    public static partial void Unhealthy(ILogger logger, string name, int count, string reason, string action);

    [LoggerMessage(EventId = 185, Level = LogLevel.Information, Message = "status: {Name} says {Status}")]
    public static partial void NotifyStatus(ILogger logger, string name, string status);

    [LoggerMessage(EventId = 186, Level = LogLevel.Warning, Message = "notify socket for {Name} could not be opened: {Reason}")]
    public static partial void NotifySocketFailed(ILogger logger, string name, string reason);
}
