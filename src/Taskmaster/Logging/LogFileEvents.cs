using Microsoft.Extensions.Logging;

namespace Taskmaster.Logging;

/// <summary>What the log writers report about themselves, with stable event ids (3000-3099).</summary>
internal static partial class LogFileEvents
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "cannot write log file '{Path}': {Reason}; dropping output until it is writable again")]
    public static partial void WriteFailed(this ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information,
        Message = "log file '{Path}' is writable again; {Dropped} bytes were dropped meanwhile")]
    public static partial void WriteResumed(this ILogger logger, string path, long dropped);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning,
        Message = "reading output of '{Process}' failed: {Reason}")]
    public static partial void PipeReadFailed(this ILogger logger, string process, string reason);
}
