using Microsoft.Extensions.Logging;

namespace Taskmaster.Supervision.Triggers;

/// <summary>The activity log lines of restart triggers; stable event ids (260-269).</summary>
internal static partial class TriggerLog
{
    [LoggerMessage(EventId = 260, Level = LogLevel.Warning,
        Message = "memory: {Name} uses {Resident} bytes, above max_memory_restart {Limit}; restarting it")]
    public static partial void OverMemory(ILogger logger, string name, long resident, long limit);

    [LoggerMessage(EventId = 261, Level = LogLevel.Information, Message = "changed: {Name}: {What} changed; {Action}")]
    public static partial void Changed(ILogger logger, string name, string what, string action);

    [LoggerMessage(EventId = 262, Level = LogLevel.Warning, Message = "watch: cannot watch {Path} for {Name}: {Reason}")]
    public static partial void CannotWatch(ILogger logger, string name, string path, string reason);
}
