using Microsoft.Extensions.Logging;

namespace Taskmaster.Supervision;

/// <summary>The activity log line of <c>exit_on</c>; a stable event id (170), as <see cref="SupervisorLog"/>'s.</summary>
internal static partial class DaemonExitLog
{
    [LoggerMessage(EventId = 170, Level = LogLevel.Warning,
        Message = "exit_on: {Name} entered {State} (exit_on={Policy}); shutting down, taskmasterd exits with code {Code}")]
    public static partial void Ending(ILogger logger, string name, string state, string policy, int code);
}
