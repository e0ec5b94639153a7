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

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "control: refused {Kind} from {Peer}")]
    public static partial void Refused(ILogger logger, string kind, string peer);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "control: {Operation} failed")]
    public static partial void BackgroundFailed(ILogger logger, Exception exception, string operation);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "control: refused {Count} more requests or connections in the last {Seconds} s: {Details}")]
    public static partial void RefusedSummary(ILogger logger, int count, int seconds, string details);

    // supervisord's words, at its level: an unauthenticated TCP listener lets every local user in.
    [LoggerMessage(EventId = 2007, Level = LogLevel.Critical, Message = "Server 'inet_http_server' running without any HTTP authentication checking: any local user can control every program; set username and password in [inet_http_server]")]
    public static partial void InetWithoutAuthentication(ILogger logger);
}
