using Microsoft.Extensions.Logging;

namespace Taskmaster.Supervision.Listeners;

/// <summary>The activity log's lines about listener pools, in supervisord's words where it has them.</summary>
internal static partial class ListenerLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Error, Message = "pool {Pool} event buffer overflowed, discarding event {Serial}")]
    public static partial void Overflowed(ILogger logger, string pool, long serial);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "{Name}: {Why}; it gets no more events until it is restarted")]
    public static partial void ProtocolError(ILogger logger, string name, string why);

    [LoggerMessage(EventId = 402, Level = LogLevel.Debug, Message = "event {Serial} rejected by {Name}: sent again")]
    public static partial void Rejected(ILogger logger, long serial, string name);

    [LoggerMessage(EventId = 403, Level = LogLevel.Debug, Message = "event {Serial} sent to listener {Name}")]
    public static partial void Sent(ILogger logger, long serial, string name);

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "could not send event {Serial} to listener {Name} (errno {Errno}): it gets no more events until it is restarted; the event waits for another")]
    public static partial void SendFailed(ILogger logger, long serial, string name, int errno);
}
