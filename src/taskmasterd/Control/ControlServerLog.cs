using Microsoft.Extensions.Logging;

namespace Taskmaster.Daemon.Control;

/// <summary>The control server's log messages, with stable event ids (2000-2099).</summary>
internal static partial class ControlServerLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "control: serving on unix://{Path}")]
    public static partial void ListeningUnix(ILogger logger, string path);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "control: serving on http://{Host}:{Port}")]
    public static partial void ListeningInet(ILogger logger, string host, int port);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "control: removed stale socket {Path}")]
    public static partial void RemovedStaleSocket(ILogger logger, string path);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "control: {Method} {Path} failed")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "control: rejected credentials from {Remote}")]
    public static partial void Unauthorized(ILogger logger, string remote);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "control: {Operation} failed")]
    public static partial void BackgroundFailed(ILogger logger, Exception exception, string operation);
}
