using Microsoft.Extensions.Logging;

namespace Taskmaster.Daemon;

/// <summary>The daemon's own activity lines (event ids 10–29), in supervisord's words where it has them.</summary>
internal static partial class DaemonLog
{
    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "taskmasterd started with pid {Pid} (config {ConfigPath})")]
    public static partial void Started(ILogger logger, int pid, string configPath);

    [LoggerMessage(EventId = 11, Level = LogLevel.Critical, Message = "{Message}")]
    public static partial void StartFailed(ILogger logger, string message);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "{Warning}")]
    public static partial void ConfigWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "received {Signal} indicating {Meaning}")]
    public static partial void ReceivedSignal(ILogger logger, string signal, string meaning);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "reopened every log file")]
    public static partial void LogsReopened(ILogger logger);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "reload: {Group}: {Action}")]
    public static partial void ReloadResult(ILogger logger, string group, string action);

    [LoggerMessage(EventId = 16, Level = LogLevel.Error, Message = "reload: {Group}: {Message}")]
    public static partial void ReloadFailed(ILogger logger, string group, string message);

    [LoggerMessage(EventId = 17, Level = LogLevel.Information, Message = "exiting: every program is stopped")]
    public static partial void ShuttingDown(ILogger logger);

    [LoggerMessage(EventId = 18, Level = LogLevel.Warning, Message = "failed to clean up {Path}: {Message}")]
    public static partial void CleanupFailed(ILogger logger, string path, string message);
}
