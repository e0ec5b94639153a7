using Microsoft.Extensions.Logging;

namespace Taskmaster.Recovery;

/// <summary>Crash-recovery activity lines (event ids 4001–4019).</summary>
internal static partial class RecoveryLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning,
        Message = "recovery: '{Name}' (pid {Pid}) from a previous taskmasterd is still running; stopping its process group with SIGTERM")]
    public static partial void StoppingLeftover(ILogger logger, string name, int pid);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning,
        Message = "recovery: killing what is left of '{Name}' (process group {ProcessGroup}) with SIGKILL")]
    public static partial void KillingLeftover(ILogger logger, string name, int processGroup);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information,
        Message = "recovery: pid {Pid} recorded for '{Name}' now belongs to another process; left alone")]
    public static partial void PidRecycled(ILogger logger, string name, int pid);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning,
        Message = "recovery: '{Name}' (pid {Pid}) is gone but {Count} process(es) of its group remain; stopping them with SIGTERM")]
    public static partial void StoppingLeftoverGroup(ILogger logger, string name, int pid, int count);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information,
        Message = "recovery: every leftover process of a previous taskmasterd is gone ({Count} program(s) stopped)")]
    public static partial void Done(ILogger logger, int count);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "recovery: cannot write {Path}: {Reason}")]
    public static partial void WriteFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "recovery: {Path} is writable again")]
    public static partial void WriteResumed(ILogger logger, string path);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Critical,
        Message = "recovery: not trusting the children file: {Reason}; no leftover of a previous taskmasterd is stopped")]
    public static partial void FileNotTrusted(ILogger logger, string reason);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning,
        Message = "recovery: process group {ProcessGroup} recorded for '{Name}' is not a child of ours (user or environment differ); left alone")]
    public static partial void NotOurs(ILogger logger, string name, int processGroup);
}
