using Microsoft.Extensions.Logging;

namespace Taskmaster.Supervision.Schedules;

/// <summary>The activity log lines of schedules; stable event ids (250-259).</summary>
internal static partial class ScheduleLog
{
    [LoggerMessage(EventId = 250, Level = LogLevel.Information, Message = "schedule: {Action} '{Name}' ({Key} {Pattern})")]
    public static partial void Firing(ILogger logger, string action, string name, string key, string pattern);

    [LoggerMessage(EventId = 251, Level = LogLevel.Information, Message = "schedule: '{Name}' left alone ({Key} {Pattern}): it is {State}")]
    public static partial void Skipped(ILogger logger, string name, string key, string pattern, string state);

    [LoggerMessage(EventId = 252, Level = LogLevel.Warning, Message = "schedule: {Key} {Pattern} of '{Name}' has no next occurrence; it will not run again")]
    public static partial void NoNextRun(ILogger logger, string name, string key, string pattern);
}
