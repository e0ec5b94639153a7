using Microsoft.Extensions.Logging;

namespace Taskmaster.Supervision;

/// <summary>The activity log lines of dependency ordering; stable event ids (160-169), as <see cref="SupervisorLog"/>'s.</summary>
internal static partial class DependencyLog
{
    [LoggerMessage(EventId = 160, Level = LogLevel.Information, Message = "waiting: {Name} waits for {Dependency} before it starts")]
    public static partial void Waiting(ILogger logger, string name, string dependency);

    [LoggerMessage(EventId = 161, Level = LogLevel.Warning, Message = "not started: {Name}, dependency {Reason}")]
    public static partial void Refused(ILogger logger, string name, string reason);

    [LoggerMessage(EventId = 162, Level = LogLevel.Information, Message = "starting {Dependency}: {Name} depends on it")]
    public static partial void PullingIn(ILogger logger, string dependency, string name);

    [LoggerMessage(EventId = 163, Level = LogLevel.Information, Message = "wait cancelled: {Name} no longer waits for its dependencies")]
    public static partial void Cancelled(ILogger logger, string name);
}
