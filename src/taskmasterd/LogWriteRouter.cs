using Taskmaster.Logging;

namespace Taskmaster.Daemon;

/// <summary>Write notifications for any log the API can follow: the daemon's own from the activity log, the rest from child capture.</summary>
internal sealed class LogWriteRouter(string daemonLog, ILogWriteNotifier activity, ILogWriteNotifier children) : ILogWriteNotifier
{
    public Task WhenWritten(string path) =>
        path == daemonLog ? activity.WhenWritten(path) : children.WhenWritten(path);
}
