using Microsoft.Extensions.Logging;

namespace Taskmaster.Supervision.Hooks;

/// <summary>The activity log lines of hooks; stable event ids (240-249).</summary>
internal static partial class HookLog
{
    [LoggerMessage(EventId = 240, Level = LogLevel.Information, Message = "hook: {Hook} of '{Name}' spawned with pid {Pid}")]
    public static partial void Spawned(ILogger logger, string hook, string name, int pid);

    [LoggerMessage(EventId = 241, Level = LogLevel.Information, Message = "hook: {Hook} of '{Name}' succeeded")]
    public static partial void Succeeded(ILogger logger, string hook, string name);

    [LoggerMessage(EventId = 242, Level = LogLevel.Warning, Message = "hook failed: {Hook} of '{Name}' ({Reason}){Output}")]
    public static partial void Failed(ILogger logger, string hook, string name, string reason, string output);

    [LoggerMessage(EventId = 243, Level = LogLevel.Warning,
        Message = "hook timed out: {Hook} of '{Name}' (pid {Pid}) ran longer than {Timeout}; killing its process group")]
    public static partial void TimedOut(ILogger logger, string hook, string name, int pid, string timeout);

    [LoggerMessage(EventId = 244, Level = LogLevel.Error,
        Message = "hook lost: {Hook} of '{Name}' (pid {Pid}) was not reaped 5 seconds after SIGKILL; no longer waiting for it")]
    public static partial void GaveUp(ILogger logger, string hook, string name, int pid);
}
